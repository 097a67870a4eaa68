using System.Buffers;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Ana;

/// <summary>
/// The one writer of an audit log file in this process, shared by every bus whose <see cref="AgentBusOptions.AuditLogPath"/>
/// names the same full path and counted by them: the last bus to let go flushes and closes it. Lines are queued whole
/// and written by one background task in batches of whole lines, each batch in one write at the end of the file.
/// Across processes, each batch is written under an advisory lock (<see cref="FileStream.Lock"/>: <c>fcntl</c> on Unix,
/// <c>LockFileEx</c> on Windows) around "seek to the end, write": .NET's <see cref="FileMode.Append"/> keeps its own
/// offset instead of the operating system's atomic append, so two processes appending without the lock overwrite
/// each other's lines.
/// </summary>
internal sealed class AuditFile
{
    // Far beyond any content: Windows locks are mandatory, and a locked byte inside the file would stall readers.
    private const long LockOffset = long.MaxValue - 1;
    private const int MaxBatchBytes = 1 << 20;
    private static readonly TimeSpan LockPatience = TimeSpan.FromSeconds(10);
    private static readonly StringComparer PathComparer =
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

    private static readonly object Gate = new();
    private static readonly Dictionary<string, AuditFile> Opened = new(PathComparer);
    private static readonly Dictionary<string, Task> Closing = new(PathComparer);

    private readonly Channel<AuditItem> _items = Channel.CreateUnbounded<AuditItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _path;
    private readonly ILogger _logger;
    private readonly Task _writer;
    private bool _locking = true;
    private int _users = 1;

    private AuditFile(string path, ILogger logger, Task previous)
    {
        _path = path;
        _logger = logger;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);

        // Unbuffered: every Write is one write at the position set just before it, under the lock.
        FileStream file = new(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        _writer = Task.Run(() => WriteAsync(file, previous));
    }

    /// <summary>The writer of <paramref name="fullPath"/>, opened now or shared with the buses already using it.</summary>
    /// <exception cref="IOException">The file cannot be opened for writing.</exception>
    /// <exception cref="UnauthorizedAccessException">The file or its directory may not be written.</exception>
    public static AuditFile Acquire(string fullPath, ILogger logger)
    {
        lock (Gate)
        {
            if (Opened.TryGetValue(fullPath, out AuditFile? file))
            {
                file._users++;
                return file;
            }

            // A writer of the same path still flushing: the new one writes only after it closed, so lines stay in order
            // and its close cannot release the new writer's lock (Unix releases a process's locks on any close).
            Task previous = Closing.TryGetValue(fullPath, out Task? closing) ? closing : Task.CompletedTask;
            file = new AuditFile(fullPath, logger, previous);
            Opened.Add(fullPath, file);
            return file;
        }
    }

    /// <summary>Queues one whole line (ending with a line feed).</summary>
    public void Append(byte[] line) => _items.Writer.TryWrite(new AuditItem(line, null));

    /// <summary>
    /// Waits until every line queued before now is written; the last user to release closes the file.
    /// </summary>
    public async ValueTask ReleaseAsync()
    {
        TaskCompletionSource? flushed = null;
        lock (Gate)
        {
            if (--_users > 0)
            {
                // Queued under the gate, so the last user cannot complete the queue before this marker is in it.
                flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _items.Writer.TryWrite(new AuditItem(null, flushed));
            }
            else
            {
                Opened.Remove(_path);
                Closing[_path] = _writer;
                _ = _writer.ContinueWith(
                    (done, state) =>
                    {
                        lock (Gate)
                        {
                            string path = (string)state!;
                            if (Closing.TryGetValue(path, out Task? closing) && closing == done)
                            {
                                Closing.Remove(path);
                            }
                        }
                    },
                    _path,
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
                _items.Writer.TryComplete();
            }
        }

        await (flushed?.Task ?? _writer).ConfigureAwait(false);
    }

    private async Task WriteAsync(FileStream file, Task previous)
    {
        await previous.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        ArrayBufferWriter<byte> batch = new(64 * 1024);
        List<TaskCompletionSource> flushed = [];
        bool failed = false;
        try
        {
            while (await _items.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (batch.WrittenCount < MaxBatchBytes && _items.Reader.TryRead(out AuditItem item))
                {
                    if (item.Line is not null)
                    {
                        batch.Write(item.Line);
                    }
                    else
                    {
                        flushed.Add(item.Flushed!);
                    }
                }

                if (batch.WrittenCount > 0 && !failed)
                {
                    try
                    {
                        AppendAtEnd(file, batch.WrittenSpan);
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        failed = true;
                        Log.AuditLogFailed(_logger, _path, ex);
                    }
                }

                batch.Clear();
                foreach (TaskCompletionSource done in flushed)
                {
                    done.TrySetResult();
                }

                flushed.Clear();
            }
        }
        finally
        {
            await file.DisposeAsync().ConfigureAwait(false);
        }
    }

    private void AppendAtEnd(FileStream file, ReadOnlySpan<byte> lines)
    {
        bool locked = _locking && TryLock(file);
        try
        {
            file.Seek(0, SeekOrigin.End);
            file.Write(lines);
        }
        finally
        {
            if (locked)
            {
                Unlock(file);
            }
        }
    }

    private bool TryLock(FileStream file)
    {
        if (OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS() || OperatingSystem.IsMacCatalyst())
        {
            _locking = false;
            return false;
        }

        // FileStream.Lock does not wait: it fails at once while another process holds the lock.
        long deadline = Environment.TickCount64 + (long)LockPatience.TotalMilliseconds;
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                file.Lock(LockOffset, 1);
                return true;
            }
            catch (IOException ex)
            {
                if (Environment.TickCount64 > deadline)
                {
                    _locking = false;
                    Log.AuditLogNotLocked(_logger, _path, ex);
                    return false;
                }

                if (attempt < 10)
                {
                    Thread.Yield();
                }
                else
                {
                    Thread.Sleep(1);
                }
            }
        }
    }

    private static void Unlock(FileStream file)
    {
        if (!OperatingSystem.IsMacOS() && !OperatingSystem.IsIOS() && !OperatingSystem.IsTvOS() && !OperatingSystem.IsMacCatalyst())
        {
            file.Unlock(LockOffset, 1);
        }
    }

    private readonly record struct AuditItem(byte[]? Line, TaskCompletionSource? Flushed);
}
