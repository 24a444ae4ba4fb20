/// Strongly connected components of a directed graph given as adjacency lists over `0..<n`
/// (Tarjan's algorithm, iterative, O(V + E)): nodes that reach each other share a component number.
public enum StronglyConnectedComponents {
    /// The component number of every node (`edges[i]` are the nodes `i` points to).
    public static func components(_ edges: [[Int]]) -> [Int] {
        let count = edges.count
        var index = Array(repeating: -1, count: count), low = Array(repeating: 0, count: count)
        var onStack = Array(repeating: false, count: count)
        var stack: [Int] = [], result = Array(repeating: -1, count: count)
        var counter = 0, componentCount = 0
        for root in 0..<count where index[root] < 0 {
            var work: [(node: Int, edge: Int)] = [(root, 0)]
            index[root] = counter; low[root] = counter; counter += 1
            stack.append(root); onStack[root] = true
            while let (node, edge) = work.last {
                if edge < edges[node].count {
                    work[work.count - 1].edge += 1
                    let next = edges[node][edge]
                    if index[next] < 0 {
                        index[next] = counter; low[next] = counter; counter += 1
                        stack.append(next); onStack[next] = true
                        work.append((next, 0))
                    } else if onStack[next] {
                        low[node] = min(low[node], index[next])
                    }
                } else {
                    work.removeLast()
                    if let parent = work.last { low[parent.node] = min(low[parent.node], low[node]) }
                    if low[node] == index[node] {
                        while let member = stack.popLast() {
                            onStack[member] = false
                            result[member] = componentCount
                            if member == node { break }
                        }
                        componentCount += 1
                    }
                }
            }
        }
        return result
    }
}
