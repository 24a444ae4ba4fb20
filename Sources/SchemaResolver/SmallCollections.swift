import SchemaModel

/// A `[String: Value]` for the handful of names of one entity or table: a linear scan while it is
/// small (cheaper than hashing a few short names), a dictionary once it grows. Same answers as the
/// dictionary: keys are compared with `String ==`.
struct SmallStringMap<Value> {
    private var keys: [String] = []
    private var values: [Value] = []
    private var dictionary: [String: Value]?

    private static var linearLimit: Int { 16 }

    subscript(key: String) -> Value? {
        get {
            if let dictionary { return dictionary[key] }
            for n in keys.indices where keys[n] == key { return values[n] }
            return nil
        }
        set {
            if dictionary != nil {
                dictionary![key] = newValue
                return
            }
            if let n = keys.firstIndex(of: key) {
                if let newValue {
                    values[n] = newValue
                } else {
                    keys.remove(at: n)
                    values.remove(at: n)
                }
                return
            }
            guard let newValue else { return }
            if keys.isEmpty {
                keys.reserveCapacity(Self.linearLimit)
                values.reserveCapacity(Self.linearLimit)
            }
            keys.append(key)
            values.append(newValue)
            if keys.count > Self.linearLimit {
                dictionary = Dictionary(uniqueKeysWithValues: zip(keys, values))
                keys = []
                values = []
            }
        }
    }
}

/// A `Set<String>` for the handful of names of one table, linear while small (see `SmallStringMap`).
struct SmallStringSet {
    private var map = SmallStringMap<Bool>()

    func contains(_ name: String) -> Bool { map[name] != nil }

    mutating func insert(_ name: String) { map[name] = true }
}
