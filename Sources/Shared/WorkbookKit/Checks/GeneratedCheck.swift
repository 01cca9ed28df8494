import Foundation

/// Checks that compare the code under test with the reference solution on generated inputs.
///
/// The named checks teach: each one is a case worth understanding. The generated ones keep the
/// checks honest: thousands of inputs per run, from generators that deliberately produce each
/// lesson's edge classes, so an answer that is right only on the named cases still fails.
/// The inputs come from a seeded generator: the same seed gives the same inputs, and a failure
/// prints the seed and the smallest failing input found (the first failing input, shrunk).
///
/// Set `WORKBOOK_CHECK_SEED` to run the generated checks with another seed.
extension Check {
    /// How many inputs a generated check tries unless told otherwise.
    public static let generatedInputCount = 2_000

    /// A check that runs `subject` and `reference` on `count` generated inputs and fails on the
    /// first input where they disagree, shrunk to the smallest input that still disagrees.
    ///
    /// - Parameters:
    ///   - generate: draws one input; use the random source for every choice, so a seed replays.
    ///   - shrink: smaller versions of an input (fewer elements, shorter text, simpler numbers),
    ///     tried in order; the first that still disagrees replaces the input, until none does.
    ///   - describe: the input as the learner should read it in a failure.
    ///   - same: whether two answers agree (`==` unless told otherwise).
    ///   Answers agree when both are equal values, or when both threw errors of the same type.
    ///   A `NotAttemptedYet` from the subject stops the check, so an untouched exercise is reported as such.
    public static func generated<Input, Output>(
        _ title: String,
        count: Int = generatedInputCount,
        generate: @escaping @Sendable (inout SeededRandom) -> Input,
        shrink: @escaping @Sendable (Input) -> [Input] = { _ in [] },
        describe: @escaping @Sendable (Input) -> String,
        subject: @escaping @Sendable (Input) throws -> Output,
        reference: @escaping @Sendable (Input) throws -> Output,
        same: @escaping @Sendable (Output, Output) -> Bool
    ) -> Check {
        Check(title) {
            let seed = generatedCheckSeed(for: title)
            var random = SeededRandom(seed: seed)
            for _ in 0..<count {
                let input = generate(&random)
                guard try disagreement(input, subject, reference, same) != nil else { continue }
                var smallest = input
                var steps = 0
                shrinking: while steps < 2_000 {
                    for candidate in shrink(smallest) {
                        steps += 1
                        if try disagreement(candidate, subject, reference, same) != nil {
                            smallest = candidate
                            continue shrinking
                        }
                    }
                    break
                }
                let (expected, found) = try disagreement(smallest, subject, reference, same)!
                throw CheckFailure(expected: expected, found: found, input: describe(smallest), seed: seed)
            }
        }
    }

    /// `generated(…)` for answers compared with `==`.
    public static func generated<Input, Output: Equatable & Sendable>(
        _ title: String,
        count: Int = generatedInputCount,
        generate: @escaping @Sendable (inout SeededRandom) -> Input,
        shrink: @escaping @Sendable (Input) -> [Input] = { _ in [] },
        describe: @escaping @Sendable (Input) -> String,
        subject: @escaping @Sendable (Input) throws -> Output,
        reference: @escaping @Sendable (Input) throws -> Output
    ) -> Check {
        generated(title, count: count, generate: generate, shrink: shrink, describe: describe,
                  subject: subject, reference: reference, same: ==)
    }
}

/// What the reference and the subject answered for `input`, shown, when they disagree; nil when they agree.
private func disagreement<Input, Output>(
    _ input: Input,
    _ subject: (Input) throws -> Output,
    _ reference: (Input) throws -> Output,
    _ same: (Output, Output) -> Bool
) throws -> (expected: String, found: String)? {
    let expected: Result<Output, any Error> = Result { try reference(input) }
    let found: Result<Output, any Error>
    do {
        found = .success(try subject(input))
    } catch is NotAttemptedYet {
        throw NotAttemptedYet()
    } catch {
        found = .failure(error)
    }
    switch (expected, found) {
    case (.success(let want), .success(let got)):
        return same(want, got) ? nil : (shown(want), shown(got))
    case (.failure(let want), .failure(let got)):
        return type(of: want) == type(of: got) ? nil : ("throws \(type(of: want))", "threw \(type(of: got)): \(got)")
    case (.success(let want), .failure(let got)):
        return (shown(want), "threw \(type(of: got)): \(got)")
    case (.failure(let want), .success(let got)):
        return ("throws \(type(of: want)): \(want)", shown(got))
    }
}

/// The seed a generated check starts from: `WORKBOOK_CHECK_SEED` when set, else one fixed per
/// check title (FNV-1a of the title), so every run tries the same inputs unless asked otherwise.
public func generatedCheckSeed(for title: String) -> UInt64 {
    if let text = ProcessInfo.processInfo.environment["WORKBOOK_CHECK_SEED"], let seed = UInt64(text) { return seed }
    return fnv1a(title.utf8)
}
