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

    /// Runs the jobs on every core, handing every job's files to `each` on the worker that
    /// rendered them, as soon as the job is done (`each` is called concurrently); keeps nothing.
    static func forEach(_ jobs: [FileJob], _ each: (GeneratedFile) -> Void) {
        DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
            for file in jobs[index]() { each(file) }
        }
    }

    /// The jobs of several generators taken in turn (first of each, second of each, ...), so that
    /// the files of each directory arrive spread over the whole run rather than in one burst. Only
    /// the order of work changes; the files do not depend on it.
    static func interleave(_ lists: [[FileJob]]) -> [FileJob] {
        var result: [FileJob] = []
        result.reserveCapacity(lists.reduce(0) { $0 + $1.count })
        var position = 0
        while true {
            var any = false
            for list in lists where position < list.count {
                result.append(list[position])
                any = true
            }
            guard any else { return result }
            position += 1
        }
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
