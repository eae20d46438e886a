/// Colours for series: the Okabe–Ito palette, distinguishable with the common colour-vision deficiencies.
enum ChartPalette {
    static let colors = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#7A6A00", "#000000"]

    static func color(_ index: Int) -> String { colors[index % colors.count] }
}
