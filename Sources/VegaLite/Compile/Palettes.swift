import FigureModel

/// Color schemes and named colors: Vega's schemes where a spec names them,
/// the theme's palette where it does not (the theme decides how a figure
/// looks; Vega-Lite decides which value gets which slot).
enum Palettes {
    /// Vega's `tableau10`.
    static let tableau10: [Color] = hex([
        "#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac",
    ])

    /// matplotlib's viridis, sampled at 11 evenly spaced points (0, 0.1, …, 1)
    /// and interpolated linearly between them.
    static let viridis: [Color] = hex([
        "#440154", "#482576", "#414487", "#35608d", "#2a788e", "#21908c", "#22a884", "#43bf71", "#7ad151",
        "#bbdf27", "#fde725",
    ])

    /// Vega's `blues` ramp, sampled at 5 points.
    static let blues: [Color] = hex(["#cfe1f2", "#93c4de", "#4a98c9", "#1764ab", "#08306b"])
    /// Vega's `greys` ramp, sampled at 5 points.
    static let greys: [Color] = hex(["#e2e2e2", "#b5b5b5", "#868686", "#525252", "#1a1a1a"])

    /// The categorical scheme of a name (`category10`, `tableau10`, `deep`, `blog`), or nil.
    static func categorical(_ name: String, theme: Theme) -> [Color]? {
        switch name {
        case "category10": Color.tab10
        case "tableau10": tableau10
        case "deep", "seaborn-deep": Theme.seaborn.colorCycle
        case "blog": Theme.blog.colorCycle
        default: nil
        }
    }

    /// The continuous scheme of a name, or nil.
    static func continuous(_ name: String) -> [Color]? {
        switch name {
        case "viridis": viridis
        case "blues": blues
        case "greys": greys
        default: nil
        }
    }

    static let categoricalNames = ["category10", "tableau10", "deep", "blog"]
    static let continuousNames = ["viridis", "blues", "greys"]

    /// Linear interpolation in a list of stops, `t` in 0…1.
    static func interpolate(_ stops: [Color], _ t: Double) -> Color {
        guard let first = stops.first, let last = stops.last else { return .black }
        guard t.isFinite else { return first }
        if t <= 0 { return first }
        if t >= 1 { return last }
        let x = t * Double(stops.count - 1)
        let i = Int(x)
        let f = x - Double(i)
        let a = stops[i]
        let b = stops[min(i + 1, stops.count - 1)]
        return Color(
            red: a.red + (b.red - a.red) * f, green: a.green + (b.green - a.green) * f,
            blue: a.blue + (b.blue - a.blue) * f)
    }

    /// A CSS color (`#rgb`, `#rrggbb`, or one of the common CSS names), or nil.
    static func css(_ spec: String) -> Color? {
        let s = spec.lowercased()
        if s.hasPrefix("#") { return Color(matplotlib: s) }
        if let hex = cssNames[s] { return Color(matplotlib: hex) }
        return nil
    }

    private static func hex(_ list: [String]) -> [Color] { list.compactMap { Color(matplotlib: $0) } }

    /// CSS named colors (CSS Color Module Level 4) the subset accepts.
    static let cssNames: [String: String] = [
        "black": "#000000", "white": "#ffffff", "gray": "#808080", "grey": "#808080", "silver": "#c0c0c0",
        "lightgray": "#d3d3d3", "lightgrey": "#d3d3d3", "darkgray": "#a9a9a9", "darkgrey": "#a9a9a9",
        "dimgray": "#696969", "slategray": "#708090", "gainsboro": "#dcdcdc", "red": "#ff0000",
        "darkred": "#8b0000", "firebrick": "#b22222", "crimson": "#dc143c", "indianred": "#cd5c5c",
        "salmon": "#fa8072", "tomato": "#ff6347", "coral": "#ff7f50", "orangered": "#ff4500", "orange": "#ffa500",
        "darkorange": "#ff8c00", "gold": "#ffd700", "goldenrod": "#daa520", "yellow": "#ffff00", "khaki": "#f0e68c",
        "olive": "#808000", "green": "#008000", "darkgreen": "#006400", "forestgreen": "#228b22",
        "seagreen": "#2e8b57", "mediumseagreen": "#3cb371", "limegreen": "#32cd32", "lime": "#00ff00",
        "teal": "#008080", "darkcyan": "#008b8b", "cyan": "#00ffff", "turquoise": "#40e0d0",
        "steelblue": "#4682b4", "royalblue": "#4169e1", "blue": "#0000ff", "navy": "#000080",
        "darkblue": "#00008b", "dodgerblue": "#1e90ff", "cornflowerblue": "#6495ed", "skyblue": "#87ceeb",
        "lightblue": "#add8e6", "slateblue": "#6a5acd", "purple": "#800080", "indigo": "#4b0082",
        "darkviolet": "#9400d3", "orchid": "#da70d6", "magenta": "#ff00ff", "pink": "#ffc0cb",
        "hotpink": "#ff69b4", "brown": "#a52a2a", "sienna": "#a0522d", "chocolate": "#d2691e", "tan": "#d2b48c",
        "maroon": "#800000",
    ]
}
