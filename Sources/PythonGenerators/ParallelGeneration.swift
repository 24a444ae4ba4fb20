import Dispatch

/// One independent piece of a generator's output: a closure that renders some files. The pieces of
/// one generator (its shared modules, then one piece per entity) share nothing mutable, so
/// `ProjectGenerator` renders the pieces of every generator concurrently.
typealias FileJob = () -> [GeneratedFile]

enum ParallelGeneration {
    /// Runs the jobs on every core and returns their files in job order (the same files, in the
    /// same order, as running them one after another). List the biggest jobs first: the pool takes
    /// them in order, so a big job started last would leave the other cores idle.
    static func run(_ jobs: [FileJob]) -> [GeneratedFile] {
        map(jobs.count) { jobs[$0]() }.flatMap { $0 }
    }

    /// `run`, handing every job's files to `each` on the worker that rendered them, as soon as the
    /// job is done (`each` is called concurrently).
    static func run(_ jobs: [FileJob], each: (GeneratedFile) -> Void) -> [GeneratedFile] {
        map(jobs.count) { index in
            let files = jobs[index]()
            for file in files { each(file) }
            return files
        }.flatMap { $0 }
    }

    /// `body(i)` for every `i` in `0..<count`, on every core, results in index order.
    static func map<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { slots in
            // Each iteration writes only its own slot.
            nonisolated(unsafe) let slots = slots
            DispatchQueue.concurrentPerform(iterations: count) { slots[$0] = body($0) }
        }
        return results.map { $0! }
    }
}
