import CCairo
import FigureModel

/// Draws a `Figure` to PNG, PDF or SVG through Cairo, byte-reproducibly.
public enum CairoBackend {}
