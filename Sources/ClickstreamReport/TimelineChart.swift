/// Points on an event-time axis, one lane per kind: the anomalies timeline.
struct TimelineChart {
    var title: String
    var description: String
    var axis: TimeAxis
    var lanes: [String]
    var points: [(ms: Int64, lane: Int, label: String)]
    var xTitle: String

    func svg(id: String) -> String {
        let laneHeight = 34.0
        let frame = ChartFrame(width: 760, height: 24 + laneHeight * Double(max(1, lanes.count)) + 48,
                               left: 170, right: 16, top: 16, bottom: 48)
        var s = frame.open(id: id, title: title, description: description, className: "timeline-chart")
        for (i, lane) in lanes.enumerated() {
            let y = frame.top + laneHeight * (Double(i) + 0.5)
            s += "<line class=\"grid\" x1=\"\(HTML.coordinate(frame.left))\" x2=\"\(HTML.coordinate(frame.left + frame.plotWidth))\" y1=\"\(HTML.coordinate(y))\" y2=\"\(HTML.coordinate(y))\"/>"
            s += "<text class=\"bar-label\" aria-hidden=\"true\" x=\"\(HTML.coordinate(frame.left - 6))\" y=\"\(HTML.coordinate(y + 4))\" text-anchor=\"end\">\(HTML.escape(lane))</text>"
        }
        for p in points {
            let x = frame.left + frame.plotWidth * min(1, max(0, axis.fraction(p.ms)))
            let y = frame.top + laneHeight * (Double(p.lane) + 0.5)
            s += "<circle class=\"mark\" cx=\"\(HTML.coordinate(x))\" cy=\"\(HTML.coordinate(y))\" r=\"5\" fill=\"\(ChartPalette.color(p.lane + 3))\" fill-opacity=\"0.75\"><title>\(HTML.escape(p.label))</title></circle>"
        }
        let base = frame.top + laneHeight * Double(max(1, lanes.count))
        s += "<g class=\"axis x-axis\" aria-hidden=\"true\"><line class=\"baseline\" x1=\"\(HTML.coordinate(frame.left))\" x2=\"\(HTML.coordinate(frame.left + frame.plotWidth))\" y1=\"\(HTML.coordinate(base))\" y2=\"\(HTML.coordinate(base))\"/>"
        for tick in axis.ticks {
            let x = frame.left + frame.plotWidth * axis.fraction(tick.ms)
            s += "<line class=\"tick\" x1=\"\(HTML.coordinate(x))\" x2=\"\(HTML.coordinate(x))\" y1=\"\(HTML.coordinate(base))\" y2=\"\(HTML.coordinate(base + 5))\"/>"
            s += "<text x=\"\(HTML.coordinate(x))\" y=\"\(HTML.coordinate(base + 18))\" text-anchor=\"middle\">\(HTML.escape(tick.label))</text>"
        }
        s += "</g>" + frame.categoryAxisTitle(xTitle)
        return s + "</svg>"
    }
}
