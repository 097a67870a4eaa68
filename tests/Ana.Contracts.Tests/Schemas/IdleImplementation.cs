using System.Reflection;

// Test-only reflection (see RandomValues.cs).
#pragma warning disable IL2026, IL2060, IL2062, IL2070, IL2072, IL2075, IL2080, IL2091, IL3050

namespace Ana.Contracts.Tests.Schemas;

/// <summary>
/// An implementation of any contract that does nothing: each method completes at once with its type's default (an empty
/// stream for a streaming method). Served, it lets a test see what the generated dispatcher makes of a query's arguments
/// and nothing else: a <c>bad_request</c> reply means the arguments were refused.
/// </summary>
public class IdleImplementation : DispatchProxy
{
    public static TContract Create<TContract>()
        where TContract : class
        => DispatchProxy.Create<TContract, IdleImplementation>();

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        Type returnType = targetMethod!.ReturnType;
        if (returnType == typeof(Task))
        {
            return Task.CompletedTask;
        }

        if (returnType == typeof(ValueTask))
        {
            return default(ValueTask);
        }

        if (!returnType.IsGenericType)
        {
            return null;
        }

        Type definition = returnType.GetGenericTypeDefinition();
        Type result = returnType.GetGenericArguments()[0];
        object? value = result.IsValueType ? Activator.CreateInstance(result) : null;
        if (definition == typeof(Task<>))
        {
            return typeof(Task).GetMethod(nameof(Task.FromResult))!.MakeGenericMethod(result).Invoke(null, [value]);
        }

        if (definition == typeof(ValueTask<>))
        {
            return Activator.CreateInstance(returnType, value);
        }

        if (definition == typeof(IAsyncEnumerable<>))
        {
            return Activator.CreateInstance(typeof(EmptyStream<>).MakeGenericType(result));
        }

        return null;
    }

    private sealed class EmptyStream<T> : IAsyncEnumerable<T>, IAsyncEnumerator<T>
    {
        public T Current => default!;

        public IAsyncEnumerator<T> GetAsyncEnumerator(CancellationToken cancellationToken = default) => this;

        public ValueTask<bool> MoveNextAsync() => ValueTask.FromResult(false);

        public ValueTask DisposeAsync() => default;
    }
}
