import WorkbookKit

/// Lesson 9's program (notes: lessons/09-pull-based-scraping.org), with the learner's exercise
/// plugged in by its `main.swift` in the lessons package.
public func lessonProgram(exercise: @escaping ScrapeChecks.Store) -> LessonProgram {
    LessonProgram(
        number: 9,
        demo: { try ScrapingDemo.run($0) },
        simulate: { registry, tick in
            let shop = try ScrapingDemo.ShopMetrics(registry: registry)
            // An order every other second or so, and a queue that fills and drains.
            if tick % 3 != 0 { shop.orders.inc() }
            shop.queue.set(Double((tick * 7) % 11))
        },
        exerciseChecks: { ScrapeChecks.checks(exercise) },
        solutionChecks: { ScrapeChecks.checks(solutionSamplesToStore) }
    )
}
