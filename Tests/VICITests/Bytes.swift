/// Golden bytes read better as a mix of numbers and ASCII text.
/// Builds byte arrays from numbers and strings: `bytes(3, 4, "key1", 0, 6, "value1")`.
func bytes(_ parts: any BytePart...) -> [UInt8] { parts.flatMap(\.byteArray) }

protocol BytePart { var byteArray: [UInt8] { get } }
extension Int: BytePart { var byteArray: [UInt8] { [UInt8(self)] } }
extension String: BytePart { var byteArray: [UInt8] { Array(utf8) } }
extension Array: BytePart where Element == UInt8 { var byteArray: [UInt8] { self } }
