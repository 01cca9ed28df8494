import WorkbookKit

/// Lesson 10's program (notes: lessons/10-instrument-a-service.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping InstrumentChecks.Instrument) -> LessonProgram {
    LessonProgram(
        number: 10,
        demo: { try ServiceDemo.run($0) },
        simulate: { registry, tick in try ServiceTraffic.simulate(registry, tick: tick) },
        service: { registry in
            let shop = try ShopService(metrics: try ServiceMetrics(registry: registry))
            return { shop.handle($0) }
        },
        exerciseChecks: { InstrumentChecks.checks(exercise) },
        solutionChecks: { InstrumentChecks.checks(solutionInstrument) }
    )
}
