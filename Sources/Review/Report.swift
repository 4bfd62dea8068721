import FigpipeBasics
import FigureStages
import Foundation

/// The three files of a review: `index.html` (self-contained: images inline,
/// usable without JavaScript), `report.json` and `summary.md`. The same
/// comparison always gives the same bytes: everything is sorted and nothing
/// records when it was made.
public enum Report {
    /// How many dump changes a figure lists (the rest are counted).
    static let shownDumpChanges = 60

    public static func write(_ c: Comparison, to folder: String) throws {
        try FileIO.createDirectory(folder)
        for (name, text) in [
            ("index.html", html(c)), ("report.json", json(c).prettyString() + "\n"), ("summary.md", markdown(c)),
        ] {
            try AtomicWriter.shared.write(Array(text.utf8), to: Paths.join(folder, name))
        }
    }

    static func sideName(_ side: ReviewSide) -> String {
        side.commit.map { "\(side.label) (\($0.prefix(10)))" } ?? side.label
    }

    static func plural(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }

    /// `2 figures changed, 1 added, 0 removed; 15 unchanged`, and likewise for tables and other files.
    public static func countsLine(_ c: Comparison) -> String {
        var parts = [
            "\(plural(c.changedFigures.count, "figure")) changed, \(c.addedFigures.count) added, "
                + "\(c.removedFigures.count) removed, \(c.unchangedFigures) unchanged"
        ]
        let tables = c.changedTables.count + c.addedTables.count + c.removedTables.count + c.unchangedTables
        if tables > 0 {
            parts.append(
                "\(plural(c.changedTables.count, "table")) changed, \(c.addedTables.count) added, "
                    + "\(c.removedTables.count) removed, \(c.unchangedTables) unchanged")
        }
        let files = c.changedFiles.count + c.addedFiles.count + c.removedFiles.count + c.unchangedFiles
        if files > 0 {
            parts.append(
                "\(plural(c.changedFiles.count, "other file")) changed, \(c.addedFiles.count) added, "
                    + "\(c.removedFiles.count) removed, \(c.unchangedFiles) unchanged")
        }
        return parts.joined(separator: "; ")
    }

    public static func rmsText(_ p: PixelComparison?) -> String {
        guard let p else { return "—" }
        if let rms = p.rms { return String(format: "%.3f", rms) }
        let size = { (s: (width: Int, height: Int)?) in s.map { "\($0.width)×\($0.height)" } ?? "?" }
        return "size \(size(p.oldSize)) → \(size(p.newSize))"
    }

    // MARK: report.json

    public static func json(_ c: Comparison) -> JSONValue {
        func strings(_ a: [String]) -> JSONValue { .array(a.map { .string($0) }) }
        let figures: [JSONValue] = c.changedFigures.map { f in
            var out: JSONValue = [
                "stem": .string(f.stem), "files": .object(f.files.mapValues { .string($0) }),
                "dump": .array(f.dump.map(\.json)), "why": .array(f.why.map(\.json)),
            ]
            if let p = f.pixels {
                var pixels: JSONValue = ["changedPixels": .int(p.changedPixels)]
                if let rms = p.rms { pixels["rms"] = .double(rms) }
                if let s = p.oldSize { pixels["oldSize"] = [.int(s.width), .int(s.height)] }
                if let s = p.newSize { pixels["newSize"] = [.int(s.width), .int(s.height)] }
                out["pixels"] = pixels
            }
            return out
        }
        let tables: [JSONValue] = c.changedTables.map { t in
            var out = t.change.json
            out["path"] = .string(t.path)
            out["why"] = .array(t.why.map(\.json))
            return out
        }
        return [
            "base": c.base.json, "head": c.head.json, "differs": .bool(c.differs),
            "figures": [
                "changed": .array(figures), "added": strings(c.addedFigures), "removed": strings(c.removedFigures),
                "unchanged": .int(c.unchangedFigures),
            ],
            "tables": [
                "changed": .array(tables), "added": strings(c.addedTables), "removed": strings(c.removedTables),
                "unchanged": .int(c.unchangedTables),
            ],
            "files": [
                "changed": strings(c.changedFiles), "added": strings(c.addedFiles), "removed": strings(c.removedFiles),
                "unchanged": .int(c.unchangedFiles),
            ],
        ]
    }

    // MARK: summary.md

    static func markdownCell(_ s: String) -> String {
        s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }

    /// The first reasons, one line: `stage: reason; reason`.
    static func whyLine(_ why: [StageKeyChange], limit: Int = 3) -> String {
        let all = StageKeyDiff.causes(why)
        guard !all.isEmpty else { return "" }
        return all.prefix(limit).joined(separator: "; ") + (all.count > limit ? "; …" : "")
    }

    public static func markdown(_ c: Comparison) -> String {
        var out = "### figpipe diff: \(sideName(c.base)) → \(sideName(c.head))\n\n"
        out += countsLine(c) + ".\n"
        if !c.changedFigures.isEmpty {
            out += "\n| figure | RMS | pixels changed | marks, ticks, labels | why |\n|---|---|---|---|---|\n"
            for f in c.changedFigures {
                let pixels = f.pixels.map { String($0.changedPixels) } ?? "—"
                out += "| \(markdownCell(f.stem)) | \(rmsText(f.pixels)) | \(pixels) | "
                out += markdownCell(dumpCounts(f.dump)) + " | " + markdownCell(whyLine(f.why)) + " |\n"
            }
        }
        if !c.changedTables.isEmpty {
            out += "\n| table | change | why |\n|---|---|---|\n"
            for t in c.changedTables {
                out +=
                    "| \(markdownCell(t.path)) | \(markdownCell(t.change.summary)) | \(markdownCell(whyLine(t.why))) |\n"
            }
        }
        for (what, list) in [
            ("Added figures", c.addedFigures), ("Removed figures", c.removedFigures), ("Added tables", c.addedTables),
            ("Removed tables", c.removedTables),
        ] where !list.isEmpty {
            out += "\n\(what): " + list.map { "`\($0)`" }.joined(separator: ", ") + "\n"
        }
        return out
    }

    /// `3 marks, 1 ticks`: how many dump changes of each category.
    static func dumpCounts(_ changes: [DumpChange]) -> String {
        DumpChange.Category.allCases.compactMap { category in
            let n = changes.filter { $0.category == category }.count
            return n == 0 ? nil : "\(n) \(category.rawValue)"
        }.joined(separator: ", ")
    }

    // MARK: index.html

    static func esc(_ s: String) -> String { Gallery.escape(s) }

    static func dataURI(_ png: [UInt8]) -> String { "data:image/png;base64," + Data(png).base64EncodedString() }

    static func anchor(_ stem: String) -> String {
        "f-" + stem.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
    }

    public static func html(_ c: Comparison) -> String {
        let title = "figpipe diff: \(sideName(c.base)) → \(sideName(c.head))"
        var out = Gallery.pageStart(title: title, style: style)
        out += "<p class=\"counts\">\(esc(countsLine(c))).</p>\n"
        if !c.changedFigures.isEmpty {
            out += "<nav><ul>\n"
            for f in c.changedFigures {
                out +=
                    "<li><a href=\"#\(anchor(f.stem))\">\(esc(f.stem))</a> <span class=\"rms\">RMS \(esc(rmsText(f.pixels)))</span></li>\n"
            }
            out += "</ul></nav>\n"
        }
        for f in c.changedFigures { out += figureSection(f, c) }
        for t in c.changedTables { out += tableSection(t) }
        for (what, list) in [
            ("Added figures", c.addedFigures), ("Removed figures", c.removedFigures), ("Added tables", c.addedTables),
            ("Removed tables", c.removedTables), ("Changed files", c.changedFiles), ("Added files", c.addedFiles),
            ("Removed files", c.removedFiles),
        ] where !list.isEmpty {
            out += "<h2>\(what)</h2>\n<ul>\n" + list.map { "<li><code>\(esc($0))</code></li>\n" }.joined() + "</ul>\n"
        }
        out += "<p class=\"unchanged\">\(plural(c.unchangedFigures, "figure")) unchanged"
        out +=
            ", \(plural(c.unchangedTables, "table")) unchanged, \(plural(c.unchangedFiles, "other file")) unchanged.</p>\n"
        out += script
        out += "</body>\n</html>\n"
        return out
    }

    static func whyList(_ why: [StageKeyChange]) -> String {
        guard !why.isEmpty else {
            return "<p class=\"nokeys\">Stage keys: not known for one side (an output tree without its cache).</p>\n"
        }
        var out = "<ul class=\"why\">\n"
        for w in why {
            out += "<li><code>\(esc(w.stage))</code><ul>"
            out += w.reasons.map { "<li>\(esc($0))</li>" }.joined()
            out += "</ul></li>\n"
        }
        return out + "</ul>\n"
    }

    static func figureSection(_ f: FigureChange, _ c: Comparison) -> String {
        var out = "<section class=\"figure\" id=\"\(anchor(f.stem))\">\n<h2>\(esc(f.stem))</h2>\n"
        out += "<p class=\"stats\">"
        if let p = f.pixels {
            out += "RMS <strong class=\"rms-value\">\(esc(rmsText(p)))</strong>"
            if p.rms != nil { out += " · \(p.changedPixels) pixels changed" }
            out += " · "
        }
        out += f.files.keys.sorted().map { "\(esc($0)) \(esc(f.files[$0] ?? ""))" }.joined(separator: ", ")
        out += "</p>\n"
        out += "<h3>Why</h3>\n" + whyList(f.why)
        if !f.dump.isEmpty {
            out +=
                "<details class=\"dump\" open><summary>Dump: \(f.dump.count) change\(f.dump.count == 1 ? "" : "s") (\(esc(dumpCounts(f.dump))))</summary>\n"
            out += "<table><thead><tr><th>what</th><th>where</th><th>change</th></tr></thead><tbody>\n"
            for d in f.dump.prefix(shownDumpChanges) {
                out +=
                    "<tr><td>\(d.category.rawValue)</td><td><code>\(esc(d.path))</code></td><td>\(esc(d.summary))</td></tr>\n"
            }
            out += "</tbody></table>\n"
            if f.dump.count > shownDumpChanges {
                out += "<p>… \(f.dump.count - shownDumpChanges) more in report.json.</p>\n"
            }
            out += "</details>\n"
        }
        guard let old = f.oldPNG, let new = f.newPNG else {
            return out + "<p>No PNG on \(f.oldPNG == nil ? "the base" : "the head") side.</p>\n</section>\n"
        }
        let before = dataURI(old)
        let after = dataURI(new)
        let size = f.pixels?.newSize
        let dims = size.map { " width=\"\($0.width)\" height=\"\($0.height)\"" } ?? ""
        out += "<div class=\"views\">\n"
        out +=
            "<div class=\"view side\" data-view=\"side by side\"><figure><figcaption>before: \(esc(sideName(c.base)))</figcaption>"
        out += "<img class=\"before\" src=\"\(before)\" alt=\"before\"></figure>"
        out +=
            "<figure><figcaption>after: \(esc(sideName(c.head)))</figcaption><img class=\"after\" src=\"\(after)\" alt=\"after\"></figure></div>\n"
        if let diff = f.pixels?.differenceImage {
            out +=
                "<div class=\"view difference\" data-view=\"difference\"><figure><figcaption>difference (red: changed pixels)</figcaption>"
            out += "<img src=\"\(dataURI(diff))\" alt=\"pixel difference\"></figure></div>\n"
        }
        if f.pixels?.rms != nil {
            out += "<details class=\"view blink\" data-view=\"blink\"><summary>blink</summary><div class=\"stack\">"
            out +=
                "<img src=\"\(before)\" alt=\"before\"\(dims)><img class=\"top\" src=\"\(after)\" alt=\"after\"\(dims)>"
            out += "</div><p class=\"hint\">Alternates before and after.</p></details>\n"
            out += "<details class=\"view swipe\" data-view=\"swipe\"><summary>swipe</summary><div class=\"stack\">"
            out +=
                "<img src=\"\(before)\" alt=\"before\"\(dims)><div class=\"cover\"><img src=\"\(after)\" alt=\"after\"\(dims)></div>"
            out +=
                "</div><p class=\"hint\">Left: after, right: before; drag the corner of the after image to move the edge.</p></details>\n"
        }
        out += "</div>\n</section>\n"
        return out
    }

    static func tableSection(_ t: TableFileChange) -> String {
        var out = "<section class=\"table\" id=\"\(anchor(t.path))\">\n<h2>\(esc(t.path))</h2>\n"
        out += "<p>\(esc(t.change.summary))</p>\n<h3>Why</h3>\n" + whyList(t.why)
        if !t.change.cells.isEmpty {
            out +=
                "<table class=\"cells\"><thead><tr><th>row</th><th>column</th><th>before</th><th>after</th><th>Δ</th></tr></thead><tbody>\n"
            for cell in t.change.cells.prefix(TableChange.shownCells) {
                let delta = cell.delta.map { DumpDiff.signed($0) } ?? ""
                out += "<tr><td>\(cell.row)</td><td>\(esc(cell.column))</td><td>\(esc(cell.old))</td>"
                out += "<td>\(esc(cell.new))</td><td>\(esc(delta))</td></tr>\n"
            }
            out += "</tbody></table>\n"
            if t.change.cells.count > TableChange.shownCells {
                out += "<p>… \(t.change.cells.count - TableChange.shownCells) more in report.json.</p>\n"
            }
        }
        return out + "</section>\n"
    }

    static let style = """
        body { font-family: "DejaVu Sans", sans-serif; margin: 2em; color: #1f1e1b; }
        h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; margin-top: 2em; }
        .rms { color: #888; font-size: .85em; }
        .stats { color: #555; }
        table { border-collapse: collapse; font-size: .85em; }
        td, th { border: 1px solid #ddd; padding: .2em .5em; text-align: left; vertical-align: top; }
        .views img { display: block; max-width: 100%; height: auto; border: 1px solid #ddd; background: white; }
        .side { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 1em; }
        figure { margin: 0; } figcaption { font-size: .85em; color: #555; margin-bottom: .2em; }
        .view { margin: 1em 0; }
        .stack { position: relative; display: inline-block; max-width: 100%; overflow: auto; }
        .stack img { max-width: none; }
        .blink .top { position: absolute; top: 0; left: 0; animation: figpipe-blink 1.6s steps(1) infinite; }
        .blink.paused .top { animation-play-state: paused; }
        @keyframes figpipe-blink { 0% { opacity: 1; } 50% { opacity: 0; } }
        .swipe .cover { position: absolute; top: 0; left: 0; height: 100%; width: 50%; overflow: hidden; resize: horizontal; border-right: 2px solid #c0392b; }
        .swipe .cover img { border: 0; }
        .hint { font-size: .8em; color: #888; }
        .tabs button { margin-right: .3em; padding: .2em .8em; border: 1px solid #aaa; background: #f4f4f4; cursor: pointer; }
        .tabs button[aria-pressed="true"] { background: #1f1e1b; color: white; }
        .unchanged { margin-top: 2em; color: #555; }

        """

    /// With scripts: tabs pick one view per figure (side by side, difference,
    /// blink, swipe), the swipe gets a slider, and a click pauses the blink.
    static let script = """
        <script>
        (() => {
          for (const views of document.querySelectorAll('.views')) {
            const all = [...views.querySelectorAll('.view')];
            const tabs = document.createElement('div');
            tabs.className = 'tabs';
            const show = (chosen) => {
              for (const v of all) {
                v.hidden = v !== chosen;
                if (v.tagName === 'DETAILS') v.open = true;
              }
              for (const b of tabs.children) b.setAttribute('aria-pressed', String(b.dataset.view === chosen.dataset.view));
            };
            for (const v of all) {
              const b = document.createElement('button');
              b.type = 'button';
              b.textContent = v.dataset.view;
              b.dataset.view = v.dataset.view;
              b.addEventListener('click', () => show(v));
              tabs.appendChild(b);
              const summary = v.querySelector(':scope > summary');
              if (summary) summary.hidden = true;
            }
            views.prepend(tabs);
            for (const swipe of views.querySelectorAll('.swipe')) {
              const cover = swipe.querySelector('.cover');
              const slider = document.createElement('input');
              slider.type = 'range'; slider.min = 0; slider.max = 100; slider.value = 50;
              slider.className = 'slider';
              slider.setAttribute('aria-label', 'swipe position');
              slider.addEventListener('input', () => { cover.style.width = slider.value + '%'; });
              cover.style.resize = 'none';
              swipe.querySelector('.hint').textContent = 'Left of the line: after; right: before. Move the slider.';
              swipe.appendChild(slider);
            }
            for (const blink of views.querySelectorAll('.blink')) {
              blink.querySelector('.stack').addEventListener('click', () => blink.classList.toggle('paused'));
              blink.querySelector('.hint').textContent = 'Alternates before and after; a click pauses.';
            }
            if (all.length) show(all[0]);
          }
        })();
        </script>

        """
}
