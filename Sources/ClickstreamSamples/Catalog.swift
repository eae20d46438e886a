import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Pages, event types, user agents and referrers.
enum Catalog {
    static let types: [[UInt8]] = ["page_view", "click", "scroll", "add_to_cart", "purchase"].map { Array($0.utf8) }

    static func eventType(_ rng: inout SplitMix64) -> UInt8 {
        let r = rng.below(100)
        return r < 60 ? 0 : r < 85 ? 1 : r < 95 ? 2 : r < 99 ? 3 : 4
    }

    // Page ids: 0 home, 1 cart, 2 checkout, 3 checkout/payment, 4..<4+searches search, then categories, then products.
    static let products = 500, searches = 40, categories = 24
    static let home = 0, cart = 1, checkoutPage = 2, payment = 3
    static let firstSearch = 4, firstCategory = 4 + searches, firstProduct = 4 + searches + categories

    static let words = ["wireless", "headphones", "running", "shoes", "organic", "coffee", "beans", "leather",
                        "backpack", "smart", "watch", "ceramic", "mug", "yoga", "mat", "desk", "lamp", "cotton",
                        "t-shirt", "bluetooth", "speaker", "stainless", "water", "bottle", "gaming", "keyboard"]
    static let categoryNames = ["electronics", "home-kitchen", "sports-outdoors", "fashion", "beauty", "toys-games",
                                "books", "garden", "automotive", "office"]

    static let pageSuffixes: [[UInt8]] = (0..<(firstProduct + products)).map { i in
        let s: String
        switch i {
        case home: s = "/"
        case cart: s = "/cart"
        case checkoutPage: s = "/checkout"
        case payment: s = "/checkout/payment"
        case firstSearch..<firstCategory:
            let k = i - firstSearch
            s = "/search?q=\(words[k % words.count])+\(words[(k * 7 + 3) % words.count])"
        case firstCategory..<firstProduct:
            let k = i - firstCategory
            s = "/category/\(categoryNames[k % categoryNames.count])/page-\(k / categoryNames.count + 1)"
        default:
            let k = i - firstProduct
            s = "/product/\(words[k % words.count])-\(words[(k / words.count + k) % words.count])-\(10_000 + k * 37)"
                + (k % 3 == 0 ? "?utm_source=\(["google", "newsletter", "facebook"][k / 3 % 3])" : "")
        }
        return Array(s.utf8)
    }

    static func appendPage(_ i: Int, into out: inout [UInt8]) { out.append(contentsOf: pageSuffixes[i]) }

    /// Zipf-like product: rank ~ exp(u * ln(n)).
    static func product(_ rng: inout SplitMix64) -> Int {
        let rank = Int(exp(rng.unit() * log(Double(products)))) - 1
        return firstProduct + min(products - 1, max(0, rank))
    }

    /// A session's first page: never the cart or checkout.
    static func landingPage(_ rng: inout SplitMix64) -> Int {
        let r = rng.below(100)
        if r < 30 { return home }
        if r < 75 { return product(&rng) }
        if r < 88 { return firstSearch + rng.below(searches) }
        return firstCategory + rng.below(categories)
    }

    /// The next viewed page: a loose home -> product -> cart -> checkout flow; cart and checkout only after the
    /// first three events (so only the designated sessions look like `unusual_page_sequence`).
    static func nextPage(from page: Int, step: Int, _ rng: inout SplitMix64) -> Int {
        let r = rng.below(100)
        if step < 3 { return r < 15 ? home : r < 80 ? product(&rng) : firstSearch + rng.below(searches) }
        switch page {
        case cart: return r < 40 ? checkoutPage : r < 80 ? product(&rng) : home
        case checkoutPage: return r < 60 ? payment : cart
        case payment: return r < 50 ? home : product(&rng)
        default:
            if r < 8 { return home }
            if r < 60 { return product(&rng) }
            if r < 70 { return firstSearch + rng.below(searches) }
            if r < 78 { return firstCategory + rng.below(categories) }
            if r < 95 { return cart }
            return checkoutPage
        }
    }

    static let browserAgents = 8, botAgents = 4
    static let agents: [[UInt8]] = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.2592.87",
        "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/126.0.6478.54 Mobile/15E148 Safari/604.1",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
        "python-requests/2.32.3 scraper",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    ].map { Array($0.utf8) }

    static let referrers: [[UInt8]] = [
        "\"https://www.google.com/\"", "\"https://www.google.com/search?q=shop+example\"", "null",
        "\"https://www.facebook.com/\"", "\"https://t.co/x7Yq2\"", "null", "\"https://www.bing.com/\"",
        "\"https://news.example.org/best-gadgets-2025\"",
    ].map { Array($0.utf8) }
}
