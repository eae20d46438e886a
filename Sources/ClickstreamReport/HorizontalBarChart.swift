/// One horizontal bar per item with its label on the left and its value (and an optional note) at the bar's end:
/// top pages, the funnel, sessions, quarantine reasons. Narrow enough to fit a phone without scrolling.
struct HorizontalBarChart {
    var title: String
    var description: String
    var items: [(label: String, value: Double, note: String?)]
    var valueTitle: String
    var colorIndex = 0

    func svg(id: String) -> String {
        let rowHeight = 22.0
        let labelWidth = 170.0
        let frame = ChartFrame(width: 520, height: 36 + rowHeight * Double(max(1, items.count)) + 28,
                               left: labelWidth, right: 130, top: 8, bottom: 28)
        let scale = ChartScale(maximumValue: items.map(\.value).max() ?? 0, tickCount: 4)
        var s = frame.open(id: id, title: title, description: description, className: "hbar-chart")
        for (i, item) in items.enumerated() {
            let y = frame.top + rowHeight * Double(i)
            let w = frame.plotWidth * item.value / scale.maximum
            let label = Self.shortLabel(item.label)
            let value = ChartScale.label(item.value) + (item.note.map { " (\($0))" } ?? "")
            s += "<text class=\"bar-label\" aria-hidden=\"true\" x=\"\(HTML.coordinate(frame.left - 6))\" y=\"\(HTML.coordinate(y + 15))\" text-anchor=\"end\">\(HTML.escape(label))</text>"
            s += "<rect class=\"mark\" x=\"\(HTML.coordinate(frame.left))\" y=\"\(HTML.coordinate(y + 3))\" width=\"\(HTML.coordinate(max(w, 1)))\" height=\"\(HTML.coordinate(rowHeight - 6))\" fill=\"\(ChartPalette.color(colorIndex))\"><title>\(HTML.escape(item.label)): \(HTML.escape(value))</title></rect>"
            s += "<text class=\"bar-value\" aria-hidden=\"true\" x=\"\(HTML.coordinate(frame.left + w + 4))\" y=\"\(HTML.coordinate(y + 15))\">\(HTML.escape(value))</text>"
        }
        let base = frame.top + rowHeight * Double(max(1, items.count))
        s += "<line class=\"baseline\" x1=\"\(HTML.coordinate(frame.left))\" x2=\"\(HTML.coordinate(frame.left))\" y1=\"\(HTML.coordinate(frame.top))\" y2=\"\(HTML.coordinate(base))\"/>"
        s += "<text class=\"axis-title\" aria-hidden=\"true\" x=\"\(HTML.coordinate(frame.left))\" y=\"\(HTML.coordinate(base + 20))\">\(HTML.escape(valueTitle)) →</text>"
        return s + "</svg>"
    }

    /// A label that fits the label column: a URL without its scheme and host (the full text is in the bar's
    /// `<title>` and in the table), cut to 22 characters.
    static func shortLabel(_ text: String) -> String {
        var label = Substring(text)
        if let scheme = label.range(of: "://") {
            let rest = label[scheme.upperBound...]
            label = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        return label.count > 22 ? String(label.prefix(21)) + "…" : String(label)
    }
}
