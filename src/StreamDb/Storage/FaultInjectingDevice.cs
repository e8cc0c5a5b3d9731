namespace StreamDb.Storage;

/// <summary>
/// A device that behaves like a disk with a volatile write cache, and can crash. Writes land in
/// the cache; <see cref="Sync"/> makes them durable. A crash (triggered after a chosen number of
/// writes or syncs, or at a chosen byte of the write stream) makes the device fail every later
/// call; <see cref="CrashImage"/> then gives what a restart would find: everything synced, plus
/// an arbitrary (seeded) subset of the unsynced writes, one of which may be torn. Tests reopen a
/// database over that image to prove recovery. Also flips bits on demand and fails I/O on demand.
/// </summary>
internal sealed class FaultInjectingDevice : IStorageDevice
{
    private readonly object gate = new();
    private readonly MemoryDevice durable;
    private readonly List<(long Offset, byte[] Data)> pending = new();
    private readonly Random random;
    private long durableLength;
    private long bytesWritten;
    private int writes;
    private int syncs;
    private bool crashed;
    private byte[]? crashImage;

    public FaultInjectingDevice(int seed, byte[]? image = null)
    {
        random = new Random(seed);
        durable = image is null ? new MemoryDevice() : new MemoryDevice(image);
        durableLength = durable.Length;
    }

    /// <summary>Crash when the write with this 1-based number is attempted (it is torn or lost).</summary>
    public int CrashAtWrite { get; set; } = -1;

    /// <summary>Crash when the sync with this 1-based number is attempted (it never completes).</summary>
    public int CrashAtSync { get; set; } = -1;

    /// <summary>Crash once this many bytes have been written in total (mid-write: a torn write).</summary>
    public long CrashAtByte { get; set; } = -1;

    /// <summary>When true, a crash keeps a random subset of unsynced writes (as a disk may);
    /// when false it keeps none.</summary>
    public bool KeepSomeUnsyncedWrites { get; set; } = true;

    /// <summary>Fail (IOException) every write after this many, without crashing.</summary>
    public int FailWritesAfter { get; set; } = -1;

    /// <summary>How long a sync takes (outside the device lock), as a disk's flush would.</summary>
    public TimeSpan SyncDelay { get; set; }

    public bool HasCrashed { get { lock (gate) return crashed; } }
    public int Writes { get { lock (gate) return writes; } }
    public int Syncs { get { lock (gate) return syncs; } }
    public long BytesWritten { get { lock (gate) return bytesWritten; } }

    public bool IsPersistent => true;

    public long Length
    {
        get
        {
            lock (gate)
            {
                ThrowIfCrashed();
                return CurrentLength();
            }
        }
    }

    private long CurrentLength()
    {
        long len = durableLength;
        foreach (var (off, data) in pending) len = Math.Max(len, off + data.Length);
        return len;
    }

    public void Read(long offset, Span<byte> buffer)
    {
        lock (gate)
        {
            ThrowIfCrashed();
            durable.Read(offset, buffer);
            if (offset + buffer.Length > durableLength)
            {
                // bytes past the durable length read as zero unless a pending write covers them
                long from = Math.Max(offset, durableLength);
                buffer[(int)(from - offset)..].Clear();
            }
            foreach (var (off, data) in pending)
            {
                long start = Math.Max(off, offset), end = Math.Min(off + data.Length, offset + buffer.Length);
                if (start < end) data.AsSpan((int)(start - off), (int)(end - start)).CopyTo(buffer[(int)(start - offset)..]);
            }
        }
    }

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        lock (gate)
        {
            ThrowIfCrashed();
            writes++;
            if (FailWritesAfter >= 0 && writes > FailWritesAfter) throw new IOException("injected write failure");
            bool crashNow = writes == CrashAtWrite;
            int keep = data.Length;
            if (CrashAtByte >= 0 && bytesWritten + data.Length >= CrashAtByte)
            {
                crashNow = true;
                keep = (int)Math.Max(0, CrashAtByte - bytesWritten);
            }
            else if (crashNow)
            {
                keep = random.Next(data.Length + 1);
            }
            if (crashNow)
            {
                // the write in flight is torn: only its first `keep` bytes may reach the medium
                if (keep > 0) pending.Add((offset, data[..keep].ToArray()));
                Crash();
                throw new IOException("injected crash during write");
            }
            pending.Add((offset, data.ToArray()));
            bytesWritten += data.Length;
        }
    }

    public void Sync()
    {
        if (SyncDelay > TimeSpan.Zero) Thread.Sleep(SyncDelay);
        lock (gate)
        {
            ThrowIfCrashed();
            syncs++;
            if (syncs == CrashAtSync)
            {
                Crash();
                throw new IOException("injected crash during sync");
            }
            foreach (var (off, data) in pending) durable.Write(off, data);
            durableLength = Math.Max(durableLength, CurrentLength());
            pending.Clear();
        }
    }

    public void SetLength(long length)
    {
        lock (gate)
        {
            ThrowIfCrashed();
            // Truncation is treated as durable at once (ftruncate metadata), growth as a pending zero write.
            if (length < CurrentLength())
            {
                foreach (var (off, data) in pending.ToArray())
                    if (off >= length) pending.Remove((off, data));
                durable.SetLength(Math.Min(durable.Length, length));
                durableLength = Math.Min(durableLength, length);
            }
        }
    }

    /// <summary>Crash now, as if power were cut.</summary>
    public void Crash()
    {
        lock (gate)
        {
            if (crashed) return;
            crashed = true;
            var image = new MemoryDevice(durable.ToArray());
            if (KeepSomeUnsyncedWrites)
            {
                foreach (var (off, data) in pending)
                {
                    int choice = random.Next(4);
                    if (choice == 0) continue; // lost
                    if (choice == 1 && data.Length > 1)
                    {
                        // torn: a prefix persisted, at a random byte (not only at sector boundaries)
                        int cut = random.Next(1, data.Length);
                        image.Write(off, data.AsSpan(0, cut));
                        continue;
                    }
                    image.Write(off, data);
                }
            }
            crashImage = image.ToArray();
            pending.Clear();
        }
    }

    /// <summary>What the medium holds after the crash (or the durable state if it never crashed).</summary>
    public byte[] CrashImage()
    {
        lock (gate)
        {
            if (crashImage is not null) return crashImage;
            return durable.ToArray();
        }
    }

    /// <summary>Flips one bit of the durable medium (bit rot), bypassing the cache.</summary>
    public void FlipBit(long offset, int bit)
    {
        lock (gate)
        {
            Span<byte> b = stackalloc byte[1];
            durable.Read(offset, b);
            b[0] ^= (byte)(1 << bit);
            durable.Write(offset, b);
        }
    }

    private void ThrowIfCrashed()
    {
        if (crashed) throw new IOException("device has crashed");
    }

    public void Dispose() { }
}
