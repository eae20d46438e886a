/// Vertical bars, one group per category (an hour) and one bar per series in it, for hourly traffic.
struct GroupedBarChart {
    var title: String
    var description: String
    var categories: [String]
    var series: [(name: String, values: [Double])]
    var xTitle: String
    var yTitle: String

    func svg(id: String) -> String {
        let frame = ChartFrame(width: 760, height: 320, left: 64, right: 16, top: 40, bottom: 56)
        let scale = ChartScale(maximumValue: series.flatMap(\.values).max() ?? 0)
        var s = frame.open(id: id, title: title, description: description, className: "bar-chart")
        s += frame.valueAxis(scale, title: yTitle)
        s += frame.legend(series.map(\.name))
        let band = frame.plotWidth / Double(max(1, categories.count))
        let barWidth = band * 0.8 / Double(max(1, series.count))
        // Label at most ~12 categories so the labels never overlap.
        let labelEvery = max(1, Int((Double(categories.count) / 12).rounded(.up)))
        let base = frame.top + frame.plotHeight
        for (c, category) in categories.enumerated() {
            for (i, line) in series.enumerated() {
                let v = c < line.values.count ? line.values[c] : 0
                let h = frame.plotHeight * v / scale.maximum
                let x = frame.left + band * Double(c) + band * 0.1 + barWidth * Double(i)
                s += "<rect class=\"mark\" x=\"\(HTML.coordinate(x))\" y=\"\(HTML.coordinate(base - h))\" width=\"\(HTML.coordinate(max(barWidth - 1, 1)))\" height=\"\(HTML.coordinate(h))\" fill=\"\(ChartPalette.color(i))\"><title>\(HTML.escape(category)): \(HTML.grouped(Int64(v))) \(HTML.escape(line.name))</title></rect>"
            }
            if c % labelEvery == 0 {
                s += "<text class=\"tick-label\" aria-hidden=\"true\" x=\"\(HTML.coordinate(frame.left + band * (Double(c) + 0.5)))\" y=\"\(HTML.coordinate(base + 16))\" text-anchor=\"middle\">\(HTML.escape(category))</text>"
            }
        }
        s += "<line class=\"baseline\" x1=\"\(HTML.coordinate(frame.left))\" x2=\"\(HTML.coordinate(frame.left + frame.plotWidth))\" y1=\"\(HTML.coordinate(base))\" y2=\"\(HTML.coordinate(base))\"/>"
        s += frame.categoryAxisTitle(xTitle)
        return s + "</svg>"
    }
}
