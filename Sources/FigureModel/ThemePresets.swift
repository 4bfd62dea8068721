/// The themes the originals use besides matplotlib's defaults.
extension Theme {
    /// `plt.style.use('seaborn-v0_8')`: darkgrid + deep palette + notebook
    /// context, exactly as matplotlib's `seaborn-v0_8*.mplstyle` files set
    /// them. The style asks for Arial first; with Arial and Liberation Sans
    /// absent, matplotlib falls back to DejaVu Sans, as here.
    public static let seaborn: Theme = {
        var t = Theme.matplotlib
        t.name = "seaborn-v0_8"
        // seaborn-v0_8.mplstyle: darkgrid.
        t.axisBelow = true
        t.axesEdgeColor = .white
        t.axesFaceColor = "#EAEAF2"
        t.gridOn = true
        t.labelColor = "0.15"
        t.labelSize = 11
        t.axesLineWidth = 0
        // deep palette.
        t.colorCycle = ["#4C72B0", "#55A868", "#C44E52", "#8172B2", "#CCB974", "#64B5CD"]
        t.patchFaceColor = "#4C72B0"
        t.titleSize = 12
        t.figureFaceColor = .white
        t.fontFamily = "DejaVu Sans"
        t.gridColor = .white
        t.gridLineStyle = .solid
        t.gridLineWidth = 1
        t.legendFontSize = 10
        t.legendFrameOn = false
        t.legendNumPoints = 1
        t.legendScatterPoints = 1
        t.lineWidth = 1.75
        t.markerEdgeWidth = 0
        t.markerSize = 7
        t.solidCapStyle = .round
        t.patchLineWidth = 0.3
        t.textColor = "0.15"
        t.titleColor = "0.15"
        t.tickColor = "0.15"
        t.tickLabelColor = "0.15"
        t.xTickLabelSize = 10
        t.yTickLabelSize = 10
        t.tickPad = 7
        t.majorTickSize = 0
        t.minorTickSize = 0
        t.majorTickWidth = 1
        t.minorTickWidth = 0.5
        return t
    }()

    /// The blog's theme (`oa_theme.py`): its palette as the color cycle;
    /// everything else is matplotlib's default.
    public static let blog: Theme = {
        var t = Theme.matplotlib
        t.name = "blog"
        t.colorCycle = ["#385C8F", "#8F6B38", "#B5543A", "#5E7F4F", "#7A4E7E", "#3F8A8C", "#C49A2C", "#6B6B6B"]
        return t
    }()

    /// `oa_theme.py`'s named colors.
    public enum BlogColors {
        public static let brandBlue: Color = "#385C8F"
        public static let brandBlack: Color = "#1F1E1B"
        public static let brandTerracotta: Color = "#B5543A"
        public static let brandGold: Color = "#8F6B38"
        public static let legendInset: Color = "#C4B9AE"
    }
}
