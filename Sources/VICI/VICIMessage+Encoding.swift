import NIOCore

extension VICIMessage {
    /// Appends the message's elements (no length, no packet header) to `buffer`.
    package func encode(into buffer: inout ByteBuffer) throws(VICIError) {
        for (key, element) in entries {
            switch element {
            case .value(let value):
                buffer.writeInteger(VICIWire.ElementType.keyValue.rawValue)
                try buffer.writeVICIName(key)
                try buffer.writeVICIValue(value)
            case .list(let items):
                buffer.writeInteger(VICIWire.ElementType.listStart.rawValue)
                try buffer.writeVICIName(key)
                for item in items {
                    buffer.writeInteger(VICIWire.ElementType.listItem.rawValue)
                    try buffer.writeVICIValue(item)
                }
                buffer.writeInteger(VICIWire.ElementType.listEnd.rawValue)
            case .section(let section):
                buffer.writeInteger(VICIWire.ElementType.sectionStart.rawValue)
                try buffer.writeVICIName(key)
                try section.encode(into: &buffer)
                buffer.writeInteger(VICIWire.ElementType.sectionEnd.rawValue)
            }
        }
    }

    package func encoded() throws(VICIError) -> [UInt8] {
        var buffer = ByteBuffer()
        try encode(into: &buffer)
        return Array(buffer.readableBytesView)
    }
}
