/// One line per series over event time (a value per minute), for the events-per-minute chart.
struct LineChart {
    var title: String
    var description: String
    var axis: TimeAxis
    /// The start of each point's minute, epoch milliseconds (the same for every series).
    var times: [Int64]
    var series: [(name: String, values: [Double])]
    var xTitle: String
    var yTitle: String

    func svg(id: String) -> String {
        let frame = ChartFrame(width: 760, height: 320, left: 64, right: 16, top: 40, bottom: 48)
        let maximum = series.flatMap(\.values).max() ?? 0
        let scale = ChartScale(maximumValue: maximum)
        var s = frame.open(id: id, title: title, description: description, className: "line-chart")
        s += frame.valueAxis(scale, title: yTitle)
        s += timeTicks(frame)
        s += frame.legend(series.map(\.name))
        for (i, line) in series.enumerated() {
            var points = ""
            for (t, v) in zip(times, line.values) {
                let x = frame.left + frame.plotWidth * axis.fraction(t)
                let y = frame.top + frame.plotHeight * (1 - v / scale.maximum)
                points += "\(HTML.coordinate(x)),\(HTML.coordinate(y)) "
            }
            s += "<polyline class=\"mark series\" fill=\"none\" stroke=\"\(ChartPalette.color(i))\" stroke-width=\"1.6\" points=\"\(points.dropLast())\"><title>\(HTML.escape(line.name)): \(HTML.grouped(Int64(line.values.reduce(0, +)))) events</title></polyline>"
        }
        s += frame.categoryAxisTitle(xTitle)
        return s + "</svg>"
    }

    private func timeTicks(_ frame: ChartFrame) -> String {
        var s = "<g class=\"axis x-axis\" aria-hidden=\"true\">"
        let base = frame.top + frame.plotHeight
        s += "<line class=\"baseline\" x1=\"\(HTML.coordinate(frame.left))\" x2=\"\(HTML.coordinate(frame.left + frame.plotWidth))\" y1=\"\(HTML.coordinate(base))\" y2=\"\(HTML.coordinate(base))\"/>"
        for tick in axis.ticks {
            let x = frame.left + frame.plotWidth * axis.fraction(tick.ms)
            s += "<line class=\"tick\" x1=\"\(HTML.coordinate(x))\" x2=\"\(HTML.coordinate(x))\" y1=\"\(HTML.coordinate(base))\" y2=\"\(HTML.coordinate(base + 5))\"/>"
            s += "<text x=\"\(HTML.coordinate(x))\" y=\"\(HTML.coordinate(base + 18))\" text-anchor=\"middle\">\(HTML.escape(tick.label))</text>"
        }
        return s + "</g>"
    }
}
