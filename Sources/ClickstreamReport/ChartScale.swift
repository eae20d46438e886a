/// A linear value axis from 0 to a "nice" maximum, with round tick values (1, 2 or 5 times a power of ten).
struct ChartScale {
    let maximum: Double
    let ticks: [Double]

    init(maximumValue: Double, tickCount: Int = 5) {
        guard maximumValue > 0 else {
            maximum = 1
            ticks = [0, 1]
            return
        }
        let raw = maximumValue / Double(max(1, tickCount))
        var power = 1.0
        while power * 10 <= raw { power *= 10 }
        while power > raw { power /= 10 }
        let step = [1.0, 2.0, 5.0, 10.0].map { $0 * power }.first { $0 >= raw } ?? power * 10
        let top = (maximumValue / step).rounded(.up) * step
        maximum = top
        ticks = stride(from: 0.0, through: top + step / 2, by: step).map { $0 }
    }

    /// A tick's label: integers as integers, else one decimal.
    static func label(_ v: Double) -> String {
        v == v.rounded() ? HTML.grouped(Int64(v)) : String((v * 10).rounded() / 10)
    }
}
