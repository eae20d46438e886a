import XCTest
final class AWSClientTestsPlaceholder: XCTestCase { func testNothing() {} }
