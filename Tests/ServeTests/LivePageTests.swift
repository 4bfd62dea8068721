import FigpipeBasics
import PipelineTesting
import Testing

@testable import Serve

@Suite struct LivePageTests {
    let failedCard = """
        <figure id="fam/fig1" class="failed">
        <div class="none">failed</div>
        <figcaption><strong>fig1</strong><pre class="error">boom</pre></figcaption>
        </figure>
        """

    @Test func theScriptGoesBeforeTheBodysEnd() {
        let page = LivePage.inject(into: "<html><body><p>x</p></body></html>", root: "/nonexistent")
        #expect(page == "<html><body><p>x</p><script src=\"/_figpipe/live.js\"></script>\n</body></html>")
    }

    @Test func aFailedCardKeepsTheLastGoodImageWhileItIsThere() throws {
        let root = TemporaryDirectory("live-page")
        let without = LivePage.inject(into: failedCard, root: root.path)
        #expect(without.contains("<div class=\"none\">failed</div>"))
        try root.write("fam/fig1.png", "png")
        let with = LivePage.inject(into: failedCard, root: root.path)
        #expect(!with.contains("<div class=\"none\">failed</div>"))
        #expect(with.contains("<img src=\"/fam/fig1.png?last-good="))
        #expect(with.contains("<pre class=\"error\">boom</pre>"))
    }
}
