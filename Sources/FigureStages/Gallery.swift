/// The gallery page: every figure the pipeline drew, grouped by folder,
/// with a PNG thumbnail (or the SVG) and links to each of its files.
///
/// The tiles fill a responsive grid (as many 320-px-or-wider columns as the
/// window holds); a figure much wider than tall spans two columns, or the
/// whole row, so its text stays readable. A click on a thumbnail opens the
/// full-size image: a plain link without JavaScript, a full-window viewer
/// with it. Figures sort in natural order, numbers inside names by value
/// (`@0.2x`, `@0.5x`, `@2x`, `@10x`).
public enum Gallery {
    /// One figure: the files sharing a stem (`compression/fig1.png`, `.pdf`, …).
    struct Entry {
        var stem: String
        var files: [String: String]  // extension (png, pdf, svg, json, dump.json, layout.json) → content hash
    }

    /// An image's size in pixels.
    struct PixelSize: Equatable, Sendable {
        var width: Int
        var height: Int
    }

    /// How many grid columns a tile spans, by the image's aspect ratio.
    enum TileWidth: Equatable {
        /// One column.
        case normal
        /// Two columns (the class `wide`): width ≥ `wideAspect` × height.
        case wide
        /// The whole row (the class `full`): width ≥ `fullAspect` × height.
        case full
    }

    /// The aspect ratio from which a tile spans two columns.
    static let wideAspect = 2.0
    /// The aspect ratio from which a tile spans the whole row.
    static let fullAspect = 3.2

    static func tileWidth(_ size: PixelSize?) -> TileWidth {
        guard let size, size.height > 0 else { return .normal }
        let aspect = Double(size.width) / Double(size.height)
        return aspect >= fullAspect ? .full : aspect >= wideAspect ? .wide : .normal
    }

    /// The width and height in a PNG's `IHDR` chunk; nil when `bytes` do not start like a PNG.
    static func pngSize(_ bytes: [UInt8]) -> PixelSize? {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, bytes.starts(with: signature), Array(bytes[12..<16]) == Array("IHDR".utf8) else {
            return nil
        }
        func be32(_ o: Int) -> Int { bytes[o..<(o + 4)].reduce(0) { $0 << 8 | Int($1) } }
        let size = PixelSize(width: be32(16), height: be32(20))
        return size.width > 0 && size.height > 0 ? size : nil
    }

    /// One piece of a name for the natural order: a run of text or a number.
    enum NamePart: Equatable {
        case text(String)
        case number(Double)
    }

    /// Splits `name` into text and numbers; a number is digits with at most one
    /// decimal part (`0.667` is one number, so `0.5` sorts before `0.667`).
    static func nameParts(_ name: String) -> [NamePart] {
        var parts: [NamePart] = []
        let chars = Array(name)
        var i = 0
        var text = ""
        while i < chars.count {
            guard chars[i].isASCII, chars[i].isNumber else {
                text.append(chars[i])
                i += 1
                continue
            }
            var j = i
            while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
            if j + 1 < chars.count, chars[j] == ".", chars[j + 1].isASCII, chars[j + 1].isNumber {
                j += 1
                while j < chars.count, chars[j].isASCII, chars[j].isNumber { j += 1 }
            }
            if !text.isEmpty { parts.append(.text(text)) }
            text = ""
            parts.append(.number(Double(String(chars[i..<j])) ?? 0))
            i = j
        }
        if !text.isEmpty { parts.append(.text(text)) }
        return parts
    }

    /// The natural order of names: numbers inside them compare by value, text
    /// by its Unicode scalars, a number before text; names equal that way
    /// (`a1`, `a01`) fall back to plain text order, so the order is total.
    public static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let pa = nameParts(a)
        let pb = nameParts(b)
        for (x, y) in zip(pa, pb) where x != y {
            switch (x, y) {
            case (.number(let u), .number(let v)): return u < v
            case (.text(let u), .text(let v)): return u.unicodeScalars.lexicographicallyPrecedes(v.unicodeScalars)
            case (.number, .text): return true
            case (.text, .number): return false
            }
        }
        if pa.count != pb.count { return pa.count < pb.count }
        return a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars)
    }

    static let extensions = ["png", "svg", "pdf", "json", "dump.json", "layout.json"]

    /// The style of failed figures' cards (only on a page that has one).
    static let failedStyle = """
        .failed .none { border-color: #c0392b; color: #c0392b; }
        .error { white-space: pre-wrap; font-size: .8em; color: #c0392b; max-height: 12em; overflow: auto; }

        """

    /// Splits `path` into stem and one of the known extensions.
    static func split(_ path: String) -> (stem: String, ext: String)? {
        for ext in extensions.sorted(by: { $0.count > $1.count }) where path.hasSuffix("." + ext) {
            return (String(path.dropLast(ext.count + 1)), ext)
        }
        return nil
    }

    public static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A link from the page to an output file, relative to the page's folder;
    /// `?v=` carries the content hash so a browser never shows a stale figure.
    static func href(_ path: String, hash: String, pagePath: String) -> String {
        let depth = pagePath.split(separator: "/").count - 1
        let up = String(repeating: "../", count: max(depth, 0))
        let encoded = path.split(separator: "/").map { part in
            part.map { c -> String in
                c == " " ? "%20" : c == "#" ? "%23" : c == "?" ? "%3F" : String(c)
            }.joined()
        }.joined(separator: "/")
        return escape(up + encoded) + "?v=" + String(hash.prefix(12))
    }

    /// The start of a page, up to its `<h1>` heading: the same for the
    /// gallery and the other pages figpipe writes (`figpipe diff`'s report).
    public static func pageStart(title: String, style: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        \(style)</style>
        </head>
        <body>
        <h1>\(escape(title))</h1>

        """
    }

    /// The page's style: a grid of as many columns of at least 320 px as fit.
    static let style = """
        body { font-family: "DejaVu Sans", sans-serif; margin: 2em; color: #1f1e1b; }
        h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(320px, 1fr)); gap: 1.5em; align-items: start; }
        figure { margin: 0; min-width: 0; }
        figure img { display: block; width: 100%; height: auto; border: 1px solid #ddd; background: white; box-sizing: border-box; }
        @media (min-width: 760px) { .wide { grid-column: span 2; } .full { grid-column: 1 / -1; } }
        figcaption { font-size: .9em; margin-top: .3em; overflow-wrap: anywhere; }
        figcaption a { margin-right: .6em; }
        .size { color: #888; font-size: .85em; }
        .none { height: 120px; border: 1px dashed #ccc; display: flex; align-items: center; justify-content: center; color: #888; }
        dialog.viewer { padding: 0; border: 0; max-width: 96vw; max-height: 96vh; overflow: auto; background: white; }
        dialog.viewer::backdrop { background: rgba(0, 0, 0, .75); }
        dialog.viewer img { display: block; max-width: 96vw; height: auto; cursor: zoom-out; }

        """

    /// The full-size viewer: a click on a thumbnail shows the whole image in a
    /// dialog (a click or Escape closes it). Without JavaScript, or with a
    /// modifier key, the thumbnail's link opens the image itself.
    static let viewer = """
        <dialog class="viewer" id="viewer"><img alt=""></dialog>
        <script>
        (() => {
          const dialog = document.getElementById('viewer');
          if (!dialog || typeof dialog.showModal !== 'function') return;
          const image = dialog.querySelector('img');
          document.addEventListener('click', (event) => {
            const link = event.target.closest('a.full-size');
            if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
            event.preventDefault();
            image.src = link.href;
            image.alt = link.dataset.name || '';
            dialog.showModal();
          });
          dialog.addEventListener('click', () => dialog.close());
        })();
        </script>

        """

    /// - Parameters:
    ///   - files: output path → content hash, for every file the figures' stages wrote.
    ///   - sizes: PNG path → its pixel size (wide figures get wide tiles, and
    ///     every thumbnail its aspect ratio before it loads).
    ///   - failed: stems of figures whose stage failed → the error shown on their card.
    static func html(
        files: [String: String], sizes: [String: PixelSize] = [:], failed: [String: String] = [:], pagePath: String,
        title: String
    ) -> String {
        var entries: [String: Entry] = [:]
        for (path, hash) in files where path != pagePath {
            guard let (stem, ext) = split(path) else { continue }
            entries[stem, default: Entry(stem: stem, files: [:])].files[ext] = hash
        }
        for stem in failed.keys where entries[stem] == nil { entries[stem] = Entry(stem: stem, files: [:]) }
        var groups: [String: [Entry]] = [:]
        for entry in entries.values {
            let folder = entry.stem.split(separator: "/").dropLast().joined(separator: "/")
            groups[folder, default: []].append(entry)
        }
        var out =
            pageStart(title: title, style: style + (failed.isEmpty ? "" : failedStyle)) + """
                <p>\(entries.count) figure\(entries.count == 1 ? "" : "s"), regenerated by <code>make figures</code>\(
                failed.isEmpty ? "" : "; \(failed.count) failed in the last run")\(".")</p>

                """
        for folder in groups.keys.sorted(by: naturalOrder) {
            let name = folder.isEmpty ? "(top level)" : folder
            out += "<h2>\(escape(name))</h2>\n<div class=\"grid\">\n"
            for entry in (groups[folder] ?? []).sorted(by: { naturalOrder($0.stem, $1.stem) }) {
                out += tile(entry, size: sizes[entry.stem + ".png"], error: failed[entry.stem], pagePath: pagePath)
            }
            out += "</div>\n"
        }
        out += viewer
        out += "</body>\n</html>\n"
        return out
    }

    /// One figure's tile: its thumbnail (a link to the full-size image) and
    /// links to its files, or its error when its stage failed.
    static func tile(_ entry: Entry, size: PixelSize?, error: String?, pagePath: String) -> String {
        let base = String(entry.stem.split(separator: "/").last ?? "")
        var out = ""
        if let error {
            out += "<figure id=\"\(escape(entry.stem))\" class=\"failed\">\n"
            out += "<div class=\"none\">failed</div>\n"
            out += "<figcaption><strong>\(escape(base))</strong>"
            out += "<pre class=\"error\">\(escape(error))</pre></figcaption>\n</figure>\n"
            return out
        }
        let image =
            entry.files["png"].map { (ext: "png", hash: $0) } ?? entry.files["svg"].map { (ext: "svg", hash: $0) }
        let width = tileWidth(image?.ext == "png" ? size : nil)
        let classAttribute = width == .wide ? " class=\"wide\"" : width == .full ? " class=\"full\"" : ""
        out += "<figure id=\"\(escape(entry.stem))\"\(classAttribute)>\n"
        if let image {
            let link = href(entry.stem + "." + image.ext, hash: image.hash, pagePath: pagePath)
            let dimensions =
                image.ext == "png" ? size.map { " width=\"\($0.width)\" height=\"\($0.height)\"" } ?? "" : ""
            out += "<a class=\"full-size\" href=\"\(link)\" data-name=\"\(escape(base))\">"
            out += "<img src=\"\(link)\" alt=\"\(escape(base))\"\(dimensions) loading=\"lazy\"></a>\n"
        } else {
            out += "<div class=\"none\">no image</div>\n"
        }
        out += "<figcaption><strong>\(escape(base))</strong>"
        if image?.ext == "png", let size { out += " <span class=\"size\">\(size.width) × \(size.height) px</span>" }
        out += "<br>"
        for ext in extensions {
            guard let hash = entry.files[ext] else { continue }
            let label = ext == "dump.json" ? "dump" : ext == "layout.json" ? "layout" : ext.uppercased()
            out += "<a href=\"\(href(entry.stem + "." + ext, hash: hash, pagePath: pagePath))\">\(label)</a>"
        }
        out += "</figcaption>\n</figure>\n"
        return out
    }
}
