extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring.UnicodeScalarView(unicodeScalars)
        while let last = scalars.last, last.properties.isWhitespace {
            scalars.removeLast()
        }
        while let first = scalars.first, first.properties.isWhitespace {
            scalars.removeFirst()
        }
        return String(scalars)
    }
}
