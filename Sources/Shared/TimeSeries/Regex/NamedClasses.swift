/// The named classes: Perl's `\d \s \w`, POSIX's `[:alpha:]`, Unicode's `\p{…}`.
enum NamedClasses {
    static func ascii(_ ranges: [ClosedRange<Unicode.Scalar>]) -> ScalarSet {
        ScalarSet(ranges.map { $0.lowerBound.value...$0.upperBound.value })
    }

    /// `\d \s \w`: ASCII only, as in RE2 (`\s` is `[\t\n\f\r ]`, without `\v`).
    static let perl: [Unicode.Scalar: ScalarSet] = [
        "d": ascii(["0"..."9"]),
        "s": ascii(["\t"..."\n", "\u{0C}"..."\r", " "..." "]),
        "w": ascii(["0"..."9", "A"..."Z", "a"..."z", "_"..."_"]),
    ]

    /// `[[:name:]]` inside brackets.
    static let posix: [String: ScalarSet] = [
        "alnum": ascii(["0"..."9", "A"..."Z", "a"..."z"]),
        "alpha": ascii(["A"..."Z", "a"..."z"]),
        "ascii": ascii(["\u{0}"..."\u{7F}"]),
        "blank": ascii(["\t"..."\t", " "..." "]),
        "cntrl": ascii(["\u{0}"..."\u{1F}", "\u{7F}"..."\u{7F}"]),
        "digit": ascii(["0"..."9"]),
        "graph": ascii(["!"..."~"]),
        "lower": ascii(["a"..."z"]),
        "print": ascii([" "..."~"]),
        "punct": ascii(["!"..."/", ":"..."@", "["..."`", "{"..."~"]),
        "space": ascii(["\t"..."\r", " "..." "]),
        "upper": ascii(["A"..."Z"]),
        "word": ascii(["0"..."9", "A"..."Z", "a"..."z", "_"..."_"]),
        "xdigit": ascii(["0"..."9", "A"..."F", "a"..."f"]),
    ]

    /// `\p{name}`: Go's general categories (`C` is Cc, Cf, Co and Cs, as in Go), `Any`, and
    /// four common scripts; nil for any other name.
    static func unicode(_ name: String) -> ScalarSet? {
        if name == "Any" { return ScalarSet([0...ScalarSet.maximum]) }
        if let script = scripts[name] { return ScalarSet(script) }
        let categories: [Unicode.GeneralCategory]
        if name.count == 1 {
            categories = Self.categoryCodes.filter { $0.key.hasPrefix(name) && $0.key != "Cn" }.map(\.value)
        } else if let category = categoryCodes[name], name != "Cn" {
            categories = [category]
        } else {
            return nil
        }
        guard !categories.isEmpty else { return nil }
        var set = ScalarSet()
        for category in categories { set = set.union(categoryTable[category] ?? ScalarSet()) }
        return set
    }

    private static let categoryCodes: [String: Unicode.GeneralCategory] = [
        "Lu": .uppercaseLetter, "Ll": .lowercaseLetter, "Lt": .titlecaseLetter, "Lm": .modifierLetter, "Lo": .otherLetter,
        "Mn": .nonspacingMark, "Mc": .spacingMark, "Me": .enclosingMark,
        "Nd": .decimalNumber, "Nl": .letterNumber, "No": .otherNumber,
        "Pc": .connectorPunctuation, "Pd": .dashPunctuation, "Ps": .openPunctuation, "Pe": .closePunctuation,
        "Pi": .initialPunctuation, "Pf": .finalPunctuation, "Po": .otherPunctuation,
        "Sm": .mathSymbol, "Sc": .currencySymbol, "Sk": .modifierSymbol, "So": .otherSymbol,
        "Zs": .spaceSeparator, "Zl": .lineSeparator, "Zp": .paragraphSeparator,
        "Cc": .control, "Cf": .format, "Cs": .surrogate, "Co": .privateUse, "Cn": .unassigned,
    ]

    /// Every scalar's general category, read once from the standard library's Unicode data.
    private static let categoryTable: [Unicode.GeneralCategory: ScalarSet] = {
        var ranges: [Unicode.GeneralCategory: [ClosedRange<UInt32>]] = [:]
        var start: UInt32 = 0
        var current: Unicode.GeneralCategory?
        func close(at end: UInt32) {
            if let current { ranges[current, default: []].append(start...end) }
        }
        for value in UInt32(0)...ScalarSet.maximum {
            let category = Unicode.Scalar(value)?.properties.generalCategory
            if category != current {
                if value > 0 { close(at: value - 1) }
                start = value
                current = category
            }
        }
        close(at: ScalarSet.maximum)
        return ranges.mapValues { ScalarSet($0) }
    }()

    /// Unicode's Scripts.txt (Script, not Script_Extensions) for the scripts label values
    /// most often hold; the standard library does not expose scripts, so the ranges are here.
    private static let scripts: [String: [ClosedRange<UInt32>]] = [
        "Latin": [
            0x41...0x5A, 0x61...0x7A, 0xAA...0xAA, 0xBA...0xBA, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2B8, 0x2E0...0x2E4,
            0x1D00...0x1D25, 0x1D2C...0x1D5C, 0x1D62...0x1D65, 0x1D6B...0x1D77, 0x1D79...0x1DBE, 0x1E00...0x1EFF,
            0x2071...0x2071, 0x207F...0x207F, 0x2090...0x209C, 0x212A...0x212B, 0x2132...0x2132, 0x214E...0x214E,
            0x2160...0x2188, 0x2C60...0x2C7F, 0xA722...0xA787, 0xA78B...0xA7CA, 0xA7D0...0xA7D1, 0xA7D3...0xA7D3,
            0xA7D5...0xA7D9, 0xA7F2...0xA7FF, 0xAB30...0xAB5A, 0xAB5C...0xAB64, 0xAB66...0xAB69, 0xFB00...0xFB06,
            0xFF21...0xFF3A, 0xFF41...0xFF5A, 0x10780...0x10785, 0x10787...0x107B0, 0x107B2...0x107BA, 0x1DF00...0x1DF1E,
        ],
        "Greek": [
            0x370...0x373, 0x375...0x377, 0x37A...0x37D, 0x37F...0x37F, 0x384...0x384, 0x386...0x386, 0x388...0x38A,
            0x38C...0x38C, 0x38E...0x3A1, 0x3A3...0x3E1, 0x3F0...0x3FF, 0x1D26...0x1D2A, 0x1D5D...0x1D61, 0x1D66...0x1D6A,
            0x1DBF...0x1DBF, 0x1F00...0x1F15, 0x1F18...0x1F1D, 0x1F20...0x1F45, 0x1F48...0x1F4D, 0x1F50...0x1F57,
            0x1F59...0x1F59, 0x1F5B...0x1F5B, 0x1F5D...0x1F5D, 0x1F5F...0x1F7D, 0x1F80...0x1FB4, 0x1FB6...0x1FC4,
            0x1FC6...0x1FD3, 0x1FD6...0x1FDB, 0x1FDD...0x1FEF, 0x1FF2...0x1FF4, 0x1FF6...0x1FFE, 0x2126...0x2126,
            0xAB65...0xAB65, 0x10140...0x1018E, 0x101A0...0x101A0, 0x1D200...0x1D245,
        ],
        "Cyrillic": [
            0x400...0x484, 0x487...0x52F, 0x1C80...0x1C88, 0x1D2B...0x1D2B, 0x1D78...0x1D78, 0x2DE0...0x2DFF,
            0xA640...0xA69F, 0xFE2E...0xFE2F,
        ],
        "Han": [
            0x2E80...0x2E99, 0x2E9B...0x2EF3, 0x2F00...0x2FD5, 0x3005...0x3005, 0x3007...0x3007, 0x3021...0x3029,
            0x3038...0x303B, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFA6D, 0xFA70...0xFAD9, 0x16FE2...0x16FE3,
            0x16FF0...0x16FF1, 0x20000...0x2A6DF, 0x2A700...0x2B738, 0x2B740...0x2B81D, 0x2B820...0x2CEA1, 0x2CEB0...0x2EBE0,
            0x2F800...0x2FA1D, 0x30000...0x3134A,
        ],
    ]
}

// MARK: - The parser
