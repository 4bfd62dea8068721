/// `NP` is the namespace for numpy's array functions, reproduced with numpy's
/// own algorithms so that results match numpy bit for bit (or, where numpy
/// calls LAPACK, to within a few ulps of a well-conditioned problem).
///
/// Every function works on `[Double]` (numpy `float64` 1-D arrays).
public enum NP {}

/// Errors numpy raises as `ValueError` that callers may want to handle.
public enum NumpyError: Error, Equatable, Sendable {
    /// numpy raised `ValueError` with a message like this one.
    case valueError(String)
}
