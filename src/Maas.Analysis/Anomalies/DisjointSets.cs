namespace Maas.Analysis.Anomalies;

/// <summary>Union–find over 0..n-1 with path halving and union by size: turns duplicate pairs into groups.</summary>
internal sealed class DisjointSets
{
    private readonly int[] _parent;
    private readonly int[] _size;

    public DisjointSets(int count)
    {
        _parent = Enumerable.Range(0, count).ToArray();
        _size = Enumerable.Repeat(1, count).ToArray();
    }

    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }

        return x;
    }

    public void Union(int a, int b)
    {
        a = Find(a);
        b = Find(b);
        if (a == b)
        {
            return;
        }

        if (_size[a] < _size[b])
        {
            (a, b) = (b, a);
        }

        _parent[b] = a;
        _size[a] += _size[b];
    }

    /// <summary>The groups of two or more members, each in ascending order, ordered by their first member.</summary>
    public List<int[]> Groups()
    {
        return Enumerable.Range(0, _parent.Length).GroupBy(Find).Where(g => g.Count() > 1)
            .Select(g => g.Order().ToArray()).OrderBy(g => g[0]).ToList();
    }
}
