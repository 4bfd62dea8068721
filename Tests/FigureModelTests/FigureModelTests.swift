import Testing

@testable import FigureModel
