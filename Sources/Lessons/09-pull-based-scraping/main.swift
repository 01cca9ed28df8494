import Shared

// Lesson 9: pull-based scraping. See lessons/09-pull-based-scraping.org.
LessonProgram(
    number: 9,
    demo: { try ScrapingDemo.run($0) },
    simulate: { registry, tick in
        let shop = try ScrapingDemo.ShopMetrics(registry: registry)
        // An order every other second or so, and a queue that fills and drains.
        if tick % 3 != 0 { shop.orders.inc() }
        shop.queue.set(Double((tick * 7) % 11))
    },
    exerciseChecks: { ScrapeChecks.checks(samplesToStore) },
    solutionChecks: { ScrapeChecks.checks(solutionSamplesToStore) }
).main()
