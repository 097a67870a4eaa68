using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Ana.Durable;

/// <summary>
/// The completion records of a prefix's durable work (docs/durable.md, "At least once"): a key-value bucket in which a
/// server writes, after a stored message's handler ended and before it acknowledges the message, that the message is
/// done (for a call, with the reply it sent). A message delivered again whose record exists is acknowledged without
/// running its handler again, and a call's recorded reply is sent again. They make a second run rare, not impossible:
/// a process that dies between the handler's end and the record's write runs it again.
/// </summary>
/// <remarks>
/// A record is a help, never a condition: when the bucket cannot be read the message runs (at least once holds), and when
/// a record cannot be written the message is acknowledged all the same (it is done), each logged. The bucket keeps one
/// value per key (history 1) for <see cref="DurableOptions.CompletionMaxAge"/>, the bucket's age limit, since 2.9 servers
/// have no per-key expiry.
/// </remarks>
internal sealed class CompletionRecords
{
    /// <summary>JetStream's error code for a stream (here, the bucket's) that does not exist.</summary>
    private const int StreamNotFound = 10059;

    private static readonly NatsRawSerializer<byte[]> Raw = NatsRawSerializer<byte[]>.Default;

    private readonly INatsKVStore _store;
    private readonly ILogger _logger;

    private CompletionRecords(INatsKVStore store, ILogger logger)
    {
        _store = store;
        _logger = logger;
    }

    /// <summary>The bucket's name.</summary>
    public string Bucket => _store.Bucket;

    /// <summary>The configuration the SDK creates the completion bucket of <paramref name="prefix"/> with.</summary>
    public static NatsKVConfig Config(string prefix, DurableOptions options)
        => new(DurableNames.CompletionBucket(prefix))
        {
            History = 1,
            Storage = NatsKVStorageType.File,
            MaxAge = options.CompletionMaxAge,
            Description = $"Ana completion records of the durable work under '{prefix}'",
        };

    /// <summary>Finds the completion bucket of <paramref name="prefix"/>, creating it when missing and the SDK manages what durable work needs.</summary>
    /// <exception cref="AnaException">It is missing and <see cref="DurableOptions.Manage"/> is off.</exception>
    public static async ValueTask<CompletionRecords> OpenAsync(INatsJSContext js, string prefix, DurableOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        NatsKVContext kv = new(js);
        NatsKVConfig wanted = Config(prefix, options);
        try
        {
            return new(await kv.GetStoreAsync(wanted.Bucket, cancellationToken).ConfigureAwait(false), logger);
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == StreamNotFound)
        {
            if (!options.Manage)
            {
                throw new AnaException(
                    AnaErrorCodes.Unavailable,
                    $"The key-value bucket '{wanted.Bucket}' of completion records does not exist, and DurableOptions.Manage is off: create it as docs/durable.md shows, or set DurableOptions.CompletionRecords = false.");
            }
        }

        // Servers starting together all get here: the same configuration again changes nothing.
        return new(await kv.CreateStoreAsync(wanted, cancellationToken).ConfigureAwait(false), logger);
    }

    /// <summary>
    /// The record of the message <paramref name="requestId"/> of <paramref name="consumer"/>: <see langword="null"/> when
    /// there is none (or the bucket could not be read), else what was recorded (empty for a one-way message).
    /// </summary>
    public async ValueTask<byte[]?> FindAsync(string consumer, string requestId)
    {
        string key = DurableNames.CompletionKey(consumer, requestId);
        try
        {
            NatsResult<NatsKVEntry<byte[]>> found = await _store.TryGetEntryAsync(key, serializer: Raw).ConfigureAwait(false);
            return found.Success && found.Value.Operation == NatsKVOperation.Put ? found.Value.Value ?? [] : null;
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            DurableLog.RecordUnreadable(_logger, _store.Bucket, key, ex.Message);
            return null;
        }
    }

    /// <summary>Records that the message <paramref name="requestId"/> of <paramref name="consumer"/> is done, with <paramref name="value"/> (a call's reply, or nothing).</summary>
    public async ValueTask WriteAsync(string consumer, string requestId, byte[] value)
    {
        string key = DurableNames.CompletionKey(consumer, requestId);
        try
        {
            NatsResult<ulong> written = await _store.TryPutAsync(key, value, Raw).ConfigureAwait(false);
            if (!written.Success)
            {
                DurableLog.RecordNotWritten(_logger, _store.Bucket, key, written.Error.Message);
            }
        }
        catch (Exception ex) when (ex is NatsException or OperationCanceledException)
        {
            DurableLog.RecordNotWritten(_logger, _store.Bucket, key, ex.Message);
        }
    }
}
