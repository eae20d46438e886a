import ClickstreamPipeline
import XCTest

final class ClickstreamErrorTests: XCTestCase {
    func testExitCodesComeFromTheKind() {
        XCTAssertEqual(ClickstreamError(.usage, nil, "x").exitCode, 2)
        XCTAssertEqual(ClickstreamError(.configuration, nil, "x").exitCode, 2)
        XCTAssertEqual(ClickstreamError(.busy, nil, "x").exitCode, 2)
        XCTAssertEqual(ClickstreamError(.source, nil, "x").exitCode, 1)
        XCTAssertEqual(ClickstreamError(.database, nil, "x").exitCode, 1)
        XCTAssertEqual(ClickstreamError(.sink, nil, "x").exitCode, 1)
    }

    func testDescriptionNamesTheSubjectAndKeepsItWhenWrappedAgain() {
        let e = ClickstreamError(.source, "source s3://b/p", "NoSuchBucket")
        XCTAssertEqual(e.description, "source s3://b/p: NoSuchBucket")
        XCTAssertEqual(ClickstreamError.wrapping(e, .database, "database x").description, "source s3://b/p: NoSuchBucket")
        let job = e.within("job nightly: replay")
        XCTAssertEqual(job.description, "job nightly: replay: source s3://b/p: NoSuchBucket")
        XCTAssertEqual(job.exitCode, 1)
        XCTAssertEqual(ClickstreamError(.usage, nil, "bad").within("job j").description, "job j: bad")
    }
}
