/// The hour partition (or a prefix of it) that an archive directory path names.
///
/// Three layouts are recognised, each detected per prefix, so one tree may mix them:
/// - hive, not zero-padded (what the production Lambda writes): `year=2025/month=7/day=3/hour=5/`
/// - hive, zero-padded: `year=2025/month=07/day=03/hour=05/`
/// - Firehose: `2025/07/03/05/` (a four-digit year, then exactly two digits per field)
///
/// A partition may start below other folders (`events/year=2025/...`). Partial prefixes are partitions
/// too (`year=2025/month=7/` covers all of July), which is what lets a walk prune whole years, months and
/// days. Values are validated (month 1–12, day within the month, hour 0–23); a component that does not parse
/// is simply not a partition. Partition hours are a listing hint only: an event's time is its own timestamp.
public struct PartitionPath: Hashable, Sendable, CustomStringConvertible {
    public enum Layout: String, Sendable {
        /// `year=…/month=…/day=…/hour=…`, zero-padded or not (each field may be either).
        case hive
        /// `YYYY/MM/DD/HH`.
        case firehose
    }

    public let layout: Layout
    public let year: Int
    /// `nil` when the path stops at the year.
    public let month: Int?
    /// `nil` when the path stops at the year or month.
    public let day: Int?
    /// `nil` unless the path reaches the hour.
    public let hour: Int?

    /// Validating memberwise initialiser: `nil` unless the fields are a real (partial) hour, given in order.
    public init?(layout: Layout, year: Int, month: Int? = nil, day: Int? = nil, hour: Int? = nil) {
        guard (1000...9999).contains(year) else { return nil }
        if let month {
            guard (1...12).contains(month) else { return nil }
        } else if day != nil || hour != nil {
            return nil
        }
        if let day {
            guard let month, (1...PartitionPath.daysInMonth(year, month)).contains(day) else { return nil }
        } else if hour != nil {
            return nil
        }
        if let hour {
            guard (0...23).contains(hour) else { return nil }
        }
        self.layout = layout
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
    }

    /// The partition named by a directory path such as `events/year=2025/month=7/` or `2025/07/03/05`.
    /// Every component is read as a folder name; for an object key or file path use `init(objectPath:)`.
    /// Returns `nil` when no partition starts in the path. Components after the hour, or after the first
    /// component that does not continue the partition, are ignored.
    public init?(directory: some StringProtocol) {
        var cursor = PartitionCursor()
        for component in directory.split(separator: "/", omittingEmptySubsequences: true) {
            cursor = cursor.descending(into: component)
        }
        guard let partition = cursor.partition else { return nil }
        self = partition
    }

    /// The partition of the folder that holds the object `path` (its last component is the file name).
    public init?(objectPath path: some StringProtocol) {
        guard let slash = path.lastIndex(of: "/") else { return nil }
        self.init(directory: path[..<slash])
    }

    /// The first field of a partition: `year=2025` (hive) or `2025` (Firehose).
    public static func start(_ component: some StringProtocol) -> PartitionPath? {
        let bytes = Array(component.utf8)
        if let value = hiveValue(bytes, key: "year=") {
            guard value.digits == 4 else { return nil }
            return PartitionPath(layout: .hive, year: value.number)
        }
        guard bytes.count == 4, let year = decimal(bytes[...]) else { return nil }
        return PartitionPath(layout: .firehose, year: year)
    }

    /// This partition narrowed by the next folder name, or `nil` when `component` is not the next field
    /// of this layout (or the partition already reaches the hour).
    public func appending(_ component: some StringProtocol) -> PartitionPath? {
        let bytes = Array(component.utf8)
        let value: Int
        switch layout {
        case .hive:
            let key: StaticString
            if month == nil { key = "month=" } else if day == nil { key = "day=" } else if hour == nil { key = "hour=" } else { return nil }
            guard let parsed = PartitionPath.hiveValue(bytes, key: key), parsed.digits <= 2 else { return nil }
            value = parsed.number
        case .firehose:
            guard hour == nil, bytes.count == 2, let parsed = PartitionPath.decimal(bytes[...]) else { return nil }
            value = parsed
        }
        if month == nil { return PartitionPath(layout: layout, year: year, month: value) }
        if day == nil { return PartitionPath(layout: layout, year: year, month: month, day: value) }
        return PartitionPath(layout: layout, year: year, month: month, day: day, hour: value)
    }

    /// True when the path reaches the hour.
    public var isComplete: Bool { hour != nil }

    /// Epoch milliseconds (UTC) of the hour's start, when the path reaches the hour.
    public var hourStart: Int64? { hour == nil ? nil : timeRange.lowerBound }

    /// The instants this (partial) partition covers, epoch milliseconds UTC, half-open.
    public var timeRange: Range<Int64> {
        let hourMs: Int64 = 3_600_000
        let dayMs = 24 * hourMs
        if let month, let day, let hour {
            let start = PartitionPath.daysFromCivil(year, month, day) * dayMs + Int64(hour) * hourMs
            return start..<(start + hourMs)
        }
        if let month, let day {
            let start = PartitionPath.daysFromCivil(year, month, day) * dayMs
            return start..<(start + dayMs)
        }
        if let month {
            let start = PartitionPath.daysFromCivil(year, month, 1) * dayMs
            let end = month == 12
                ? PartitionPath.daysFromCivil(year + 1, 1, 1) * dayMs
                : PartitionPath.daysFromCivil(year, month + 1, 1) * dayMs
            return start..<end
        }
        return (PartitionPath.daysFromCivil(year, 1, 1) * dayMs)..<(PartitionPath.daysFromCivil(year + 1, 1, 1) * dayMs)
    }

    /// Whether this partition can hold anything in the half-open window `[from, to)` (epoch ms).
    public func overlaps(from: Int64, to: Int64) -> Bool {
        let range = timeRange
        return range.lowerBound < to && from < range.upperBound
    }

    /// The canonical spelling: unpadded hive (as the production Lambda writes) or Firehose.
    public var description: String {
        var parts: [String]
        switch layout {
        case .hive:
            parts = ["year=\(year)"]
            if let month { parts.append("month=\(month)") }
            if let day { parts.append("day=\(day)") }
            if let hour { parts.append("hour=\(hour)") }
        case .firehose:
            func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
            parts = ["\(year)"]
            if let month { parts.append(two(month)) }
            if let day { parts.append(two(day)) }
            if let hour { parts.append(two(hour)) }
        }
        return parts.joined(separator: "/") + "/"
    }

    // MARK: - Parsing helpers

    /// The value of `key=digits`, with its digit count; `nil` unless the whole component has that shape.
    private static func hiveValue(_ bytes: [UInt8], key: StaticString) -> (number: Int, digits: Int)? {
        let keyLength = key.utf8CodeUnitCount
        guard bytes.count > keyLength else { return nil }
        let keyBytes = UnsafeBufferPointer(start: key.utf8Start, count: keyLength)
        for index in 0..<keyLength where bytes[index] != keyBytes[index] { return nil }
        let digits = bytes[keyLength...]
        guard digits.count <= 4, let number = decimal(digits) else { return nil }
        return (number, digits.count)
    }

    /// ASCII decimal digits only (no sign, no spaces); `nil` when empty or anything else.
    private static func decimal(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    private static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    private static func daysInMonth(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: return isLeapYear(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`).
    private static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let m = Int64(month)
        let dayOfYear = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
