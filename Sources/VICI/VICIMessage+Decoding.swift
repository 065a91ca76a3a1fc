import NIOCore

extension VICIMessage {
    /// Decodes a whole message: every readable byte of `buffer` belongs to it (the packet layer delimits it).
    package init(decoding buffer: inout ByteBuffer) throws(VICIError) {
        // Iterative with an explicit stack so hostile nesting cannot recurse us into a stack overflow.
        var stack: [(name: String, message: VICIMessage)] = [("", VICIMessage())]
        var openList: (name: String, items: [[UInt8]])?

        while let byte = buffer.readInteger(as: UInt8.self) {
            guard let type = VICIWire.ElementType(rawValue: byte) else {
                throw .malformed("unknown element type \(byte)")
            }
            if openList != nil, type != .listItem, type != .listEnd {
                throw .malformed("element type \(byte) inside a list")
            }
            switch type {
            case .sectionStart:
                let name = try buffer.readVICIName()
                guard stack.count <= VICIWire.maxDepth else {
                    throw .malformed("sections nested deeper than \(VICIWire.maxDepth)")
                }
                stack.append((name, VICIMessage()))
            case .sectionEnd:
                guard stack.count > 1, let closed = stack.popLast() else {
                    throw .malformed("section end without section start")
                }
                stack[stack.count - 1].message.appendUnchecked(closed.name, .section(closed.message))
            case .keyValue:
                let name = try buffer.readVICIName()
                let value = try buffer.readVICIValue()
                stack[stack.count - 1].message.appendUnchecked(name, .value(value))
            case .listStart:
                openList = (try buffer.readVICIName(), [])
            case .listItem:
                guard openList != nil else { throw .malformed("list item outside a list") }
                openList!.items.append(try buffer.readVICIValue())
            case .listEnd:
                guard let list = openList else { throw .malformed("list end without list start") }
                stack[stack.count - 1].message.appendUnchecked(list.name, .list(list.items))
                openList = nil
            }
        }
        guard openList == nil else { throw .malformed("unterminated list") }
        guard stack.count == 1 else { throw .malformed("unterminated section") }
        self = stack[0].message
    }

    package init(decoding bytes: [UInt8]) throws(VICIError) {
        var buffer = ByteBuffer(bytes: bytes)
        try self.init(decoding: &buffer)
    }
}
