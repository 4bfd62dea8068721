/// Numerics: the numpy, scipy and scikit-learn algorithms the figure
/// families depend on, reproduced exactly (same random streams, same fits).
/// Pure functions over `[Double]`; no file I/O, no plotting.
public enum Numerics {}
