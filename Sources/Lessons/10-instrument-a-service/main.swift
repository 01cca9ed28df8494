import Shared

// Lesson 10: instrument a service with the RED method. See lessons/10-instrument-a-service.org.
LessonProgram(
    number: 10,
    demo: { try ServiceDemo.run($0) },
    simulate: { registry, tick in try ServiceTraffic.simulate(registry, tick: tick) },
    service: { registry in
        let shop = try ShopService(metrics: try ServiceMetrics(registry: registry))
        return { shop.handle($0) }
    },
    exerciseChecks: { InstrumentChecks.checks(instrument) },
    solutionChecks: { InstrumentChecks.checks(solutionInstrument) }
).main()
