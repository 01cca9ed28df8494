
/// The reference answer to `counterIncrease(_:)` in Exercise.swift. Try the exercise first.
func solutionCounterIncrease(_ samples: [Double]) throws -> Double {
    var increase = 0.0
    for (previous, current) in zip(samples, samples.dropFirst()) {
        if current >= previous {
            increase += current - previous
        } else {
            // A fall is a restart: the counter began again at zero, so all of `current` is new.
            increase += current
        }
    }
    return increase
}
