import TestSupport

/// The golden references of this test target (`Golden/` beside this file).
let GoldenFile = GoldenFiles(testFile: #filePath)
