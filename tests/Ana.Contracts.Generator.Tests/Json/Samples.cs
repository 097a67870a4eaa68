using System.Text.Json;
using Ana.Contracts.Generator.Tests.Json.Dtos;

namespace Ana.Contracts.Generator.Tests.Json;

/// <summary>Instances and JSON documents that both contexts must treat identically.</summary>
internal static class Samples
{
    public const string Unicode = "Grüße, 日本語, emoji 🎉, \"quotes\", back\\slash, </script>, tab\t, nul\0, line\nbreak, \u2028";

    private static readonly JsonElement ElementValue = JsonDocument.Parse("""{"a":[1,2.5,{"b":null,"c":"ü"}],"d":true,"e":"</x>"}""").RootElement.Clone();

    public static readonly IReadOnlyDictionary<string, (Type Type, object? Value)> Values = new Dictionary<string, (Type, object?)>
    {
        ["Job"] = (typeof(Job), new Job("j1", "Title", JobState.InProgress)),
        ["Job with note"] = (typeof(Job), new Job("j2", Unicode, JobState.FailedHard, int.MinValue, "note")),
        ["Job empty strings"] = (typeof(Job), new Job("", "", JobState.Pending, 0, "")),
        ["Job undefined enum value"] = (typeof(Job), new Job("j3", "t", (JobState)42)),
        ["null Job"] = (typeof(Job), null),
        ["Submission full"] = (typeof(Submission), FullSubmission()),
        ["Submission minimal"] = (typeof(Submission), new Submission
        {
            RequestId = "r",
            Job = new Job("j", "t", JobState.Done),
            Permissions = Permissions.None,
        }),
        ["Primitives max"] = (typeof(Primitives), MaxPrimitives()),
        ["Primitives min"] = (typeof(Primitives), MinPrimitives()),
        ["Primitives defaults"] = (typeof(Primitives), new Primitives { Element = ElementValue }),
        ["Collections full"] = (typeof(Collections), FullCollections()),
        ["Collections empty"] = (typeof(Collections), EmptyCollections()),
        ["Collections default"] = (typeof(Collections), new Collections()),
        ["TreeNode"] = (typeof(TreeNode), Tree(depth: 4)),
        ["TreeNode leaf"] = (typeof(TreeNode), new TreeNode()),
        ["Outer"] = (typeof(Outer), new Outer { Child = new Outer.Inner { Value = -1, Deeper = new Outer.Inner.Deep(Unicode) } }),
        ["Outer empty"] = (typeof(Outer), new Outer()),
        ["Annotated full"] = (typeof(Annotated), FullAnnotated()),
        ["Annotated default"] = (typeof(Annotated), new Annotated()),
        ["DerivedEvent"] = (typeof(DerivedEvent), DerivedEvent()),
        ["DerivedEvent default"] = (typeof(DerivedEvent), new DerivedEvent()),
        ["Point"] = (typeof(Point), new Point { X = int.MaxValue, Y = -7 }),
        ["Range"] = (typeof(Dtos.Range), new Dtos.Range(3, 9)),
        ["Page<Job>"] = (typeof(Page<Job>), new Page<Job> { Items = [new Job("a", "b", JobState.Done), new Job("c", "d", JobState.Pending, 1, "n")], Total = 2 }),
        ["Money"] = (typeof(Money), new Money(79228162514264337593543950335m, "EUR")),
        ["Chosen"] = (typeof(Chosen), new Chosen("picked")),
        ["Defaults"] = (typeof(Defaults), new Defaults()),
        ["Defaults custom"] = (typeof(Defaults), new Defaults(-1, double.Epsilon, Unicode, JobState.Pending, false, long.MinValue, -0.0001m, '\u00e9', 3, float.MaxValue, "x", short.MinValue, Permissions.Execute | Permissions.Read)),
        ["WithSetsRequired"] = (typeof(WithSetsRequired), new WithSetsRequired("n")),
        ["Mixed"] = (typeof(Mixed), new Mixed("m") { Size = 3, Comment = "c", Extra = ["e"] }),
        ["InitDefaults"] = (typeof(InitDefaults), new InitDefaults { Name = "n" }),
        ["Everything"] = (typeof(Everything), FullEverything()),
        ["Everything empty"] = (typeof(Everything), new Everything()),
        ["List<Job>"] = (typeof(List<Job>), new List<Job> { new("a", "b", JobState.Done), new("c", "d", JobState.InProgress) }),
        ["List<Job> empty"] = (typeof(List<Job>), new List<Job>()),
        ["Dictionary<string, Job>"] = (typeof(Dictionary<string, Job>), new Dictionary<string, Job> { ["k"] = new("a", "b", JobState.Done), [Unicode] = new("c", "d", JobState.Pending), [""] = new("e", "f", JobState.Pending) }),
        ["Job[]"] = (typeof(Job[]), new[] { new Job("a", "b", JobState.Done) }),
        ["Job[] empty"] = (typeof(Job[]), Array.Empty<Job>()),
        ["long"] = (typeof(long), long.MinValue),
        ["int? null"] = (typeof(int?), null),
        ["int? value"] = (typeof(int?), 5),
        ["string"] = (typeof(string), Unicode),
        ["JobState"] = (typeof(JobState), JobState.FailedHard),
        ["Permissions flags"] = (typeof(Permissions), Permissions.Read | Permissions.Execute),
        ["Permissions combined name"] = (typeof(Permissions), Permissions.ReadWrite),
        ["Permissions none"] = (typeof(Permissions), Permissions.None),
        ["Permissions undefined bits"] = (typeof(Permissions), (Permissions)24),
    };

    /// <summary>Documents to deserialize: both contexts must succeed with the same result, or both throw.</summary>
    public static readonly IReadOnlyDictionary<string, (Type Type, string Json)> Documents = new Dictionary<string, (Type, string)>
    {
        ["Job defaults"] = (typeof(Job), """{"id":"a","title":"t","state":"in_progress"}"""),
        ["Job integer enum"] = (typeof(Job), """{"id":"a","title":"t","state":2,"priority":-4,"note":null}"""),
        ["Job declared enum name"] = (typeof(Job), """{"id":"a","title":"t","state":"InProgress"}"""),
        ["Job unknown enum"] = (typeof(Job), """{"id":"a","title":"t","state":"bogus"}"""),
        ["Job unknown members"] = (typeof(Job), """{"id":"a","zzz":{"deep":[1,2]},"title":"t","state":"done","Id":"other"}"""),
        ["Job wrong token"] = (typeof(Job), """{"id":1,"title":"t","state":"done"}"""),
        ["Job null"] = (typeof(Job), "null"),
        ["Job truncated"] = (typeof(Job), """{"id":"a","title":"""),
        ["Submission complete"] = (typeof(Submission), """{"request_id":"r","job":{"id":"a","title":"t","state":"done"},"attempt":2,"permissions":"read, write","tags":["x","y"],"owner":{"name":"o","id":"6f9619ff-8b86-d011-b42d-00cf4fc964ff"},"submitted_at":"2026-05-14T15:35:00+09:00"}"""),
        ["Submission empty object"] = (typeof(Submission), "{}"),
        ["Submission missing required keyword member"] = (typeof(Submission), """{"job":{"id":"a","title":"t","state":"done"},"attempt":2,"permissions":"read"}"""),
        ["Submission missing JsonRequired member"] = (typeof(Submission), """{"request_id":"r","job":{"id":"a","title":"t","state":"done"},"permissions":"read"}"""),
        ["Submission required member null"] = (typeof(Submission), """{"request_id":null,"job":{"id":"a","title":"t","state":"done"},"attempt":1,"permissions":"read"}"""),
        ["Mixed complete"] = (typeof(Mixed), """{"id":"x","size":3,"comment":"c","extra":["e"]}"""),
        ["Mixed missing required"] = (typeof(Mixed), """{"id":"x"}"""),
        ["WithSetsRequired missing"] = (typeof(WithSetsRequired), "{}"),
        ["WithSetsRequired present"] = (typeof(WithSetsRequired), """{"name":"n"}"""),
        ["Defaults empty"] = (typeof(Defaults), "{}"),
        ["Defaults some"] = (typeof(Defaults), """{"a":7,"s":"pending","nothing":"here","p":"execute"}"""),
        ["Money"] = (typeof(Money), """{"amount":1.50,"currency":"EUR"}"""),
        ["Money missing"] = (typeof(Money), "{}"),
        ["Chosen"] = (typeof(Chosen), """{"name":"x","origin":"o"}"""),
        ["Chosen name only"] = (typeof(Chosen), """{"name":"x"}"""),
        ["Range"] = (typeof(Dtos.Range), """{"start":1,"end":2}"""),
        ["Range partial"] = (typeof(Dtos.Range), """{"end":2}"""),
        ["Point"] = (typeof(Point), """{"x":1,"y":-2}"""),
        ["TreeNode"] = (typeof(TreeNode), """{"name":"root","children":[{"name":"a","children":[]},{"name":"b","children":[{"name":"c","children":[],"siblings":[]}]}],"index":{"k":{"name":"i","children":[]}}}"""),
        ["Collections"] = (typeof(Collections), """{"numbers":[1,2],"words":["a",null],"list":["l"],"i_list":[1,2],"owners":[{"name":"n"}],"enumerable":["e"],"collection":[9007199254740993],"read_only_collection":["6f9619ff-8b86-d011-b42d-00cf4fc964ff"],"counts":{"a":1,"b":-1},"owners_by_name":{"x":{"name":"x"}},"groups":{"g":[1,2,3]},"labels":{"n":null},"maybe_numbers":[null,1],"states":["done","pending"],"nested":[["a"],[]],"jagged":[[1],[2,3]],"jobs":[{"id":"a","title":"t","state":"done"}]}"""),
        ["Collections duplicate key"] = (typeof(Collections), """{"counts":{"a":1,"a":2}}"""),
        ["Annotated"] = (typeof(Annotated), """{"custom-name":"r","ñame✓":"u","secret":"s","computed":"c","private_setter":"p","field":3,"count":4,"always_written":null,"null_skipped":"n","last":"l","first":"f","included":"i","internal_property":"x","static_property":"s"}"""),
        ["DerivedEvent"] = (typeof(DerivedEvent), """{"id":"1","kind":"k","sequence":5000000000,"extra":"e"}"""),
        ["Primitives"] = (typeof(Primitives), """{"bool":true,"byte":255,"s_byte":-128,"int16":-1,"u_int16":65535,"int32":1,"u_int32":4294967295,"int64":-9223372036854775808,"u_int64":18446744073709551615,"single":1.5,"double":-0.0,"decimal":0.1,"char":"x","string":"s","date_time":"2026-05-14T06:35:00Z","date_time_offset":"2026-05-14T06:35:00+02:00","time_span":"1.02:03:04.5","guid":"6f9619ff-8b86-d011-b42d-00cf4fc964ff","uri":"https://example.org/a?b=c","element":{"x":[1]},"maybe_element":null,"nullable_int32":null,"nullable_state":"failed_hard","bytes":"AAEC/w==","date":"2026-05-14","time":"12:34:56","huge":170141183460469231731687303715884105727,"half":1.5,"version":"1.2.3","tiny":"http_status","permissions":"read, execute"}"""),
        ["Primitives quoted number"] = (typeof(Primitives), """{"int32":"12"}"""),
        ["Primitives overflow"] = (typeof(Primitives), """{"byte":256}"""),
        ["Primitives NaN"] = (typeof(Primitives), """{"double":"NaN"}"""),
        ["List<Job>"] = (typeof(List<Job>), """[{"id":"a","title":"t","state":"done"},null]"""),
        ["Dictionary<string, Job>"] = (typeof(Dictionary<string, Job>), """{"a":{"id":"a","title":"t","state":"done"}}"""),
        ["Job[]"] = (typeof(Job[]), "[]"),
        ["long"] = (typeof(long), "9223372036854775807"),
        ["int?"] = (typeof(int?), "null"),
        ["JobState integer"] = (typeof(JobState), "3"),
        ["Permissions list"] = (typeof(Permissions), "\"read, write, execute\""),
        ["InitDefaults name only"] = (typeof(InitDefaults), """{"name":"n"}"""),
        ["InitDefaults all"] = (typeof(InitDefaults), """{"name":"n","retries":0,"mode":"m","tags":[]}"""),
        ["Everything"] = (typeof(Everything), """{"job":{"id":"a","title":"t","state":"done"},"point":{"x":1},"maybe_point":null,"range":{"start":4,"end":5},"job_page":{"items":[],"total":0},"money":{"amount":1,"currency":"c"}}"""),
    };

    private static Submission FullSubmission() => new()
    {
        RequestId = Unicode,
        Job = new Job("j", "t", JobState.Done, 1, null),
        Owner = new Owner { Name = "n", Email = "e@example.org", Id = Guid.Parse("6f9619ff-8b86-d011-b42d-00cf4fc964ff"), Homepage = new Uri("https://example.org/ü?q=1") },
        SubmittedAt = new DateTimeOffset(2026, 5, 14, 15, 35, 0, TimeSpan.FromHours(9)),
        Attempt = -1,
        Tags = ["a", "", Unicode],
        Permissions = Permissions.ReadWrite | Permissions.Execute,
    };

    private static Primitives MaxPrimitives() => new()
    {
        Bool = true,
        Byte = byte.MaxValue,
        SByte = sbyte.MaxValue,
        Int16 = short.MaxValue,
        UInt16 = ushort.MaxValue,
        Int32 = int.MaxValue,
        UInt32 = uint.MaxValue,
        Int64 = long.MaxValue,
        UInt64 = ulong.MaxValue,
        Single = float.MaxValue,
        Double = double.MaxValue,
        Decimal = decimal.MaxValue,
        Char = '\uffff',
        String = Unicode,
        DateTime = DateTime.MaxValue,
        DateTimeOffset = DateTimeOffset.MaxValue,
        TimeSpan = TimeSpan.MaxValue,
        Guid = Guid.Parse("ffffffff-ffff-ffff-ffff-ffffffffffff"),
        Uri = new Uri("relative/päth?x=<y>", UriKind.Relative),
        Element = ElementValue,
        MaybeElement = ElementValue,
        NullableInt32 = int.MaxValue,
        NullableDouble = double.Epsilon,
        NullableDateTime = new DateTime(2026, 5, 14, 6, 35, 0, DateTimeKind.Utc),
        NullableGuid = Guid.Empty,
        NullableState = JobState.InProgress,
        Bytes = [0, 1, 2, 255, 128],
        Date = DateOnly.MaxValue,
        Time = TimeOnly.MaxValue,
        Huge = Int128.MaxValue,
        Half = Half.MaxValue,
        Version = new Version(1, 2, 3, 4),
        Tiny = Tiny.HTTPStatus,
        Permissions = Permissions.ReadWrite,
    };

    private static Primitives MinPrimitives() => new()
    {
        Byte = byte.MinValue,
        SByte = sbyte.MinValue,
        Int16 = short.MinValue,
        Int32 = int.MinValue,
        Int64 = long.MinValue,
        Single = float.MinValue,
        Double = -0.0,
        Decimal = decimal.MinValue,
        Char = '\0',
        String = "",
        DateTime = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Unspecified),
        DateTimeOffset = DateTimeOffset.MinValue,
        TimeSpan = TimeSpan.MinValue,
        Uri = new Uri("urn:isbn:0451450523"),
        Element = JsonDocument.Parse("null").RootElement.Clone(),
        NullableInt32 = int.MinValue,
        NullableDouble = double.MinValue,
        Bytes = [],
        Date = DateOnly.MinValue,
        Time = TimeOnly.MinValue,
        Huge = Int128.MinValue,
        Half = Half.MinValue,
        Tiny = (Tiny)200,
        Permissions = (Permissions)(-1),
    };

    private static Collections FullCollections() => new()
    {
        Numbers = [1, -1, int.MaxValue],
        Words = ["a", null, Unicode],
        List = ["x", "y"],
        IList = [4, 5],
        Owners = [new Owner { Name = "o1" }, new Owner { Name = "o2", Email = "e" }],
        Enumerable = Enumerable.Range(0, 3).Select(i => "e" + i),
        Collection = new List<long> { long.MaxValue },
        ReadOnlyCollection = [Guid.Empty],
        Counts = new Dictionary<string, int> { ["a"] = 1, ["b"] = -2, [Unicode] = 3 },
        OwnersByName = new Dictionary<string, Owner> { ["x"] = new() { Name = "x" } },
        Groups = new Dictionary<string, List<int>> { ["g"] = [1, 2], ["empty"] = [] },
        Labels = new Dictionary<string, string?> { ["n"] = null, ["v"] = "v" },
        MaybeNumbers = [null, 1, null],
        States = [JobState.Done, JobState.FailedHard, (JobState)9],
        Nested = [["a"], [], ["b", "c"]],
        Jagged = [[1], [], [2, 3]],
        Jobs = [new Job("a", "b", JobState.Pending)],
    };

    private static Collections EmptyCollections() => new()
    {
        Numbers = [],
        Words = [],
        List = [],
        IList = new List<int>(),
        Owners = [],
        Enumerable = [],
        Collection = new List<long>(),
        ReadOnlyCollection = [],
        Counts = [],
        OwnersByName = new Dictionary<string, Owner>(),
        Groups = new Dictionary<string, List<int>>(),
        Labels = [],
        MaybeNumbers = [],
        States = [],
        Nested = [],
        Jagged = [],
        Jobs = [],
    };

    private static TreeNode Tree(int depth)
    {
        TreeNode node = new() { Name = "n" + depth };
        if (depth > 0)
        {
            node.Children.Add(Tree(depth - 1));
            node.Children.Add(new TreeNode { Name = "leaf" + depth });
            node.Index = new Dictionary<string, TreeNode> { ["first"] = new TreeNode { Name = "indexed" } };
            node.Siblings = [new TreeNode { Name = "s" }];
        }

        return node;
    }

    private static Annotated FullAnnotated()
    {
        Annotated annotated = new()
        {
            Field = 42,
            Renamed = "r",
            Unicode = Unicode,
            Secret = "s",
            Count = 5,
            AlwaysWritten = null,
            NullSkipped = null,
            Last = "l",
            First = "f",
            Included = "i",
        };
        return annotated;
    }

    private static DerivedEvent DerivedEvent()
    {
        DerivedEvent derived = new() { Id = "id", Kind = "k", Extra = "x", Sequence = long.MaxValue };
        ((BaseEvent)derived).Sequence = 7;
        return derived;
    }

    private static Everything FullEverything() => new()
    {
        Job = new Job("a", "b", JobState.Done),
        Submission = FullSubmission(),
        Primitives = MaxPrimitives(),
        Collections = FullCollections(),
        Tree = Tree(2),
        Outer = new Outer { Child = new Outer.Inner { Value = 1 } },
        Annotated = FullAnnotated(),
        Event = DerivedEvent(),
        Point = new Point { X = 1, Y = 2 },
        MaybePoint = new Point { X = 3 },
        Range = new Dtos.Range(1, 2),
        JobPage = new Page<Job> { Total = 1, Items = [new Job("p", "q", JobState.Pending)] },
        Money = new Money(1.5m, "USD"),
        Chosen = new Chosen("c"),
        Defaults = new Defaults(N: 4),
        SetsRequired = new WithSetsRequired("w"),
        Mixed = new Mixed("m") { Size = 1 },
    };
}
