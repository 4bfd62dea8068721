import Foundation

/// An RGBA color, channels in 0…1.
public struct Color: Codable, Hashable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// The same color with another alpha (matplotlib's `alpha=` on an artist
    /// replaces the color's own alpha).
    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// '#rrggbbaa', as `matplotlib.colors.to_hex(c, keep_alpha=True)` writes it.
    public var hexRGBA: String {
        func byte(_ v: Double) -> String {
            let b = Int((max(0, min(1, v)) * 255).rounded(.toNearestOrEven))
            return String(format: "%02x", b)
        }
        return "#" + byte(red) + byte(green) + byte(blue) + byte(alpha)
    }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    public static let none = Color(red: 0, green: 0, blue: 0, alpha: 0)

    /// matplotlib's default property cycle (`tab10`), `C0`…`C9`.
    public static let tab10: [Color] = [
        "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
    ].compactMap { Color(matplotlib: $0) }

    /// A matplotlib color spec: '#rgb', '#rrggbb', '#rrggbbaa', a one-letter
    /// base color ('r', 'k', …), 'C0'…'C9', a grey level string ('0.8'),
    /// 'none', or one of the CSS names the originals use. nil if unknown.
    public init?(matplotlib spec: String) {
        let s = spec.trimmingCharacters(in: .whitespaces).lowercased()
        if s.hasPrefix("#") {
            var hex = Array(s.dropFirst())
            if hex.count == 3 || hex.count == 4 { hex = hex.flatMap { [$0, $0] } }
            guard hex.count == 6 || hex.count == 8 else { return nil }
            var channels: [Double] = []
            for i in stride(from: 0, to: hex.count, by: 2) {
                guard let v = UInt8(String(hex[i...i + 1]), radix: 16) else { return nil }
                channels.append(Double(v) / 255)
            }
            self.init(
                red: channels[0], green: channels[1], blue: channels[2], alpha: channels.count == 4 ? channels[3] : 1)
            return
        }
        if s.count == 2, s.first == "c", let i = Int(s.dropFirst()) {
            self = Color.tab10[i]
            return
        }
        if let grey = Double(s), (0...1).contains(grey) {
            self.init(red: grey, green: grey, blue: grey)
            return
        }
        let named: [String: String] = [
            "b": "#0000ff", "g": "#008000", "r": "#ff0000", "c": "#00bfbf", "m": "#bf00bf", "y": "#bfbf00",
            "k": "#000000", "w": "#ffffff", "black": "#000000", "white": "#ffffff", "red": "#ff0000",
            "blue": "#0000ff", "green": "#008000", "gray": "#808080", "grey": "#808080", "orange": "#ffa500",
            "lightgray": "#d3d3d3", "lightgrey": "#d3d3d3", "darkgray": "#a9a9a9", "darkgrey": "#a9a9a9",
            "purple": "#800080", "brown": "#a52a2a", "navy": "#000080", "teal": "#008080",
        ]
        if s == "none" {
            self = .none
            return
        }
        guard let hex = named[s] else { return nil }
        self.init(matplotlib: hex)
    }
}

extension Color: ExpressibleByStringLiteral {
    /// A literal matplotlib color spec; an unknown spec is a programming
    /// error caught by the tests, drawn as black.
    public init(stringLiteral value: String) {
        self = Color(matplotlib: value) ?? .black
    }
}

/// matplotlib line styles by their short codes.
public enum LineStyle: String, Codable, Hashable, Sendable {
    case solid = "-"
    case dashed = "--"
    case dotted = ":"
    case dashDot = "-."
    case none = "None"
}

/// The matplotlib marker codes the originals use.
public enum MarkerStyle: String, Codable, Hashable, Sendable, CaseIterable {
    case none = "None"
    case point = "."
    case circle = "o"
    case square = "s"
    case triangleUp = "^"
    case triangleDown = "v"
    case triangleLeft = "<"
    case triangleRight = ">"
    case diamond = "D"
    case thinDiamond = "d"
    case pentagon = "p"
    case hexagon = "h"
    case star = "*"
    case plus = "+"
    case x = "x"
    case plusFilled = "P"
    case xFilled = "X"
    case vline = "|"
    case hline = "_"
}

/// matplotlib's `CapStyle`.
public enum CapStyle: String, Codable, Hashable, Sendable {
    case butt
    case round
    case projecting
}
