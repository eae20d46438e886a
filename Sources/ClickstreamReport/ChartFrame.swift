/// The box a chart is drawn in (viewBox units) and its plot area inside the margins; writes the `<svg>` element
/// with what a screen reader announces: `role="img"`, a `<title>` and a `<desc>` it is labelled by.
struct ChartFrame {
    let width: Double
    let height: Double
    let left: Double
    let right: Double
    let top: Double
    let bottom: Double

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }

    func open(id: String, title: String, description: String, className: String) -> String {
        """
        <svg class="chart \(className)" id="\(id)" viewBox="0 0 \(HTML.coordinate(width)) \(HTML.coordinate(height))" \
        role="img" aria-labelledby="\(id)-title \(id)-desc" xmlns="http://www.w3.org/2000/svg">\
        <title id="\(id)-title">\(HTML.escape(title))</title><desc id="\(id)-desc">\(HTML.escape(description))</desc>
        """
    }

    /// Horizontal grid lines and labels of a value axis, with the axis title rotated along it.
    func valueAxis(_ scale: ChartScale, title: String) -> String {
        var s = "<g class=\"axis y-axis\" aria-hidden=\"true\">"
        for t in scale.ticks {
            let y = top + plotHeight * (1 - t / scale.maximum)
            s += "<line class=\"grid\" x1=\"\(HTML.coordinate(left))\" x2=\"\(HTML.coordinate(left + plotWidth))\" y1=\"\(HTML.coordinate(y))\" y2=\"\(HTML.coordinate(y))\"/>"
            s += "<text x=\"\(HTML.coordinate(left - 6))\" y=\"\(HTML.coordinate(y + 4))\" text-anchor=\"end\">\(ChartScale.label(t))</text>"
        }
        let cy = top + plotHeight / 2
        s += "<text class=\"axis-title\" transform=\"translate(14 \(HTML.coordinate(cy))) rotate(-90)\" text-anchor=\"middle\">\(HTML.escape(title))</text>"
        return s + "</g>"
    }

    /// The axis title under the plot.
    func categoryAxisTitle(_ title: String) -> String {
        "<text class=\"axis-title\" aria-hidden=\"true\" x=\"\(HTML.coordinate(left + plotWidth / 2))\" y=\"\(HTML.coordinate(height - 6))\" text-anchor=\"middle\">\(HTML.escape(title))</text>"
    }

    /// A legend row above the plot: a swatch and the name of each series.
    func legend(_ names: [String]) -> String {
        var s = "<g class=\"legend\" aria-hidden=\"true\">"
        var x = left
        for (i, name) in names.enumerated() {
            s += "<rect x=\"\(HTML.coordinate(x))\" y=\"8\" width=\"12\" height=\"12\" fill=\"\(ChartPalette.color(i))\"/>"
            s += "<text x=\"\(HTML.coordinate(x + 16))\" y=\"18\">\(HTML.escape(name))</text>"
            x += 24 + Double(name.count) * 7.2
        }
        return s + "</g>"
    }
}
