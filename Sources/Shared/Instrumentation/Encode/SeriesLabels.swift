/// The label values of the series being written, and its label pairs written out:
/// prepared by its family, or where this writer first wrote them.
///
/// It borrows the snapshot's storage rather than holding it: holding it would retain and
/// release it for every series. Use it only inside the calls that produced the pointers.
struct SeriesLabels {
    let values: UnsafeBufferPointer<String>
    /// The bytes of `name="value",…` as the series' family prepared them, if it did.
    let prepared: UnsafeBufferPointer<UInt8>?
    /// The bytes of `name="value",…` in the writer's buffer once written.
    var written: Range<Int>?

    init(values: UnsafeBufferPointer<String>, prepared: UnsafeBufferPointer<UInt8>? = nil) {
        self.values = values
        self.prepared = prepared
    }
}
