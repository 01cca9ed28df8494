/// The console's script and style, hand-written and built into the binary as string literals,
/// so the pages need no CDN, no package and no network: they work offline.
///
/// Each lives in its own file (`ConsoleAssets+Script.swift`, `ConsoleAssets+Style.swift`)
/// as a raw string literal, so what is there is exactly what the browser gets.
public enum ConsoleAssets {}
