import FigpipeBasics
import Foundation

/// What `figpipe serve` adds to the pages it serves.
public enum LivePage {
    /// Adds the live-reload script, and gives a failed figure's card its
    /// last good image when the output root still has it.
    public static func inject(into html: String, root: String) -> String {
        var page = keepLastGoodImages(html, root: root)
        let tag = "<script src=\"/_figpipe/live.js\"></script>\n"
        if let end = page.range(of: "</body>", options: .backwards) {
            page.insert(contentsOf: tag, at: end.lowerBound)
        } else {
            page += tag
        }
        return page
    }

    static func unescape(_ s: String) -> String {
        s.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&lt;", with: "<")
            .replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// The gallery draws a failed figure as a `failed` box with its error;
    /// while the PNG of its last good run is in the output root, the box
    /// becomes that image, marked as the last good one.
    static func keepLastGoodImages(_ html: String, root: String) -> String {
        let opening = "\" class=\"failed\">\n<div class=\"none\">failed</div>"
        guard html.contains(opening) else { return html }
        var out = ""
        var rest = Substring(html)
        while let hit = rest.range(of: opening) {
            let before = rest[..<hit.lowerBound]
            guard let idStart = before.range(of: "<figure id=\"", options: .backwards) else { break }
            let escapedID = String(before[idStart.upperBound...])
            let stem = unescape(escapedID)
            out += before
            let png = stem + ".png"
            if Paths.isContained(png), let stat = FileStat.of(Paths.join(root, png)), stat.isRegular {
                let link = "/" + escapedID + ".png?last-good=\(stat.mtimeNanoseconds)"
                out += "\" class=\"failed\">\n<a class=\"full-size last-good\" href=\"\(link)\">"
                out += "<img src=\"\(link)\" alt=\"last good image\"></a>"
                out += "<p class=\"last-good-note\">last good image; the last run failed:</p>"
            } else {
                out += rest[hit]
            }
            rest = rest[hit.upperBound...]
        }
        return out + rest
    }

    /// The page's side of live reload.
    static let script = """
        (() => {
          const live = { reloads: 0, last: null, running: [] };
          window.figpipeLive = live;
          const banner = document.createElement('div');
          banner.id = 'figpipe-live';
          banner.setAttribute('role', 'status');
          banner.style.cssText = 'position:fixed;right:1em;bottom:1em;padding:.4em .8em;border-radius:4px;'
            + 'font:13px "DejaVu Sans",sans-serif;background:#1f1e1b;color:#fff;opacity:.9;z-index:10;max-width:40em';
          banner.textContent = 'figpipe serve: connecting';
          document.body.appendChild(banner);
          const style = document.createElement('style');
          style.textContent = 'figure.running img{opacity:.5;outline:3px solid #e67e22}'
            + ' .last-good img{outline:3px solid #c0392b} .last-good-note{color:#c0392b;font-size:.8em;margin:.2em 0}';
          document.head.appendChild(style);
          const keep = (el) => el.id === 'viewer' || el.id === 'figpipe-live' || el.tagName === 'SCRIPT';
          const markRunning = (stems) => {
            for (const f of document.querySelectorAll('figure[id]')) f.classList.toggle('running', stems.includes(f.id));
          };
          const events = new EventSource('/_figpipe/events');
          events.onopen = () => { if (!live.running.length) banner.textContent = 'figpipe serve: watching'; };
          events.onerror = () => { banner.textContent = 'figpipe serve: disconnected, retrying'; };
          events.addEventListener('running', (e) => {
            const d = JSON.parse(e.data);
            live.running = d.running;
            banner.textContent = d.running.length
              ? 'running (' + d.finished + '/' + d.total + '): ' + d.running.join(', ')
              : 'figpipe serve: watching';
            banner.style.background = d.running.length ? '#e67e22' : '#1f1e1b';
            markRunning(d.stems || []);
          });
          events.addEventListener('problem', (e) => {
            banner.textContent = 'figpipe serve: ' + JSON.parse(e.data);
            banner.style.background = '#c0392b';
          });
          events.addEventListener('reload', async (e) => {
            const d = JSON.parse(e.data);
            const response = await fetch(location.href, { cache: 'no-store' });
            if (!response.ok) return;
            const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
            for (const s of document.head.querySelectorAll('style:not([data-live])')) if (s !== style) s.remove();
            for (const s of doc.head.querySelectorAll('style')) document.head.insertBefore(document.importNode(s, true), style);
            document.title = doc.title;
            for (const el of [...document.body.children]) if (!keep(el)) el.remove();
            const anchor = document.body.firstChild;
            for (const el of [...doc.body.children]) {
              if (!keep(el)) document.body.insertBefore(document.importNode(el, true), anchor);
            }
            live.reloads += 1;
            live.last = { at: Date.now(), run: d };
            const failed = Object.keys(d.failed || {}).length;
            banner.textContent = 'figpipe serve: reloaded (' + d.ran.length + ' ran'
              + (failed ? ', ' + failed + ' failed' : '') + ')';
            banner.style.background = failed ? '#c0392b' : '#1f1e1b';
            document.dispatchEvent(new CustomEvent('figpipe:reloaded', { detail: d }));
          });
        })();

        """
}
