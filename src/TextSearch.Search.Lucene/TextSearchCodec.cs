using Lucene.Net.Codecs;
using Lucene.Net.Codecs.Compressing;
using Lucene.Net.Codecs.Lucene46;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace TextSearch.Search.Lucene;

/// <summary>
/// Lucene 4.6's codec with stored fields kept as written, not LZ4-compressed. Every search reads the stored title and
/// body of each of its hits (snippets are cut from them); with compression, Lucene.NET decompressed each hit's chunk up
/// to the hit (16 KB chunks of a few articles each) byte by byte, a quarter of an in-process query. Uncompressed, a hit
/// is a copy of its own bytes. The index's stored fields grow by what LZ4 saved on Arabic text (about a third).
/// Segments written with <c>Lucene46</c> (indexes of earlier versions) stay readable, and merges rewrite them.
/// </summary>
[CodecName(RegisteredName)]
public sealed class TextSearchCodec() : FilterCodec(new Lucene46Codec())
{
    public const string RegisteredName = "TextSearch46";

    private static readonly StoredFieldsFormat Stored = new CompressingStoredFieldsFormat("TextSearchStoredFields", RawCompression.Instance, 1 << 14);

    private static int s_registered;

    public override StoredFieldsFormat StoredFieldsFormat => Stored;

    /// <summary>Makes the codec known to Lucene (by name, for segments that name it) in this process; idempotent.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            Codec.SetCodecFactory(new DefaultCodecFactory { CustomCodecTypes = [typeof(TextSearchCodec)] });
        }
    }

    /// <summary>"Compression" that copies: a read takes only the bytes asked for.</summary>
    private sealed class RawCompression : CompressionMode
    {
        public static readonly RawCompression Instance = new();

        public override Compressor NewCompressor() => new RawCompressor();

        public override Decompressor NewDecompressor() => new RawDecompressor();

        public override string ToString() => "RAW";
    }

    private sealed class RawCompressor : Compressor
    {
        public override void Compress(byte[] bytes, int off, int len, DataOutput output) => output.WriteBytes(bytes, off, len);
    }

    private sealed class RawDecompressor : Decompressor
    {
        public override void Decompress(DataInput input, int originalLength, int offset, int length, BytesRef bytes)
        {
            if (bytes.Bytes.Length < length)
            {
                bytes.Bytes = new byte[ArrayUtil.Oversize(length, 1)];
            }

            // The stored-fields stream is a file: skip by seeking rather than reading (and copying) the bytes before.
            if (input is IndexInput file)
            {
                file.Seek(file.Position + offset);
            }
            else
            {
                input.SkipBytes(offset);
            }

            input.ReadBytes(bytes.Bytes, 0, length);
            bytes.Offset = 0;
            bytes.Length = length;
        }

        public override object Clone() => new RawDecompressor();
    }
}
