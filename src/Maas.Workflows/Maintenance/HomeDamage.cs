namespace Maas.Workflows.Maintenance;

/// <summary>One damaged object of a home, as <c>maas doctor</c> names it.</summary>
/// <param name="Object">What is damaged: <c>blob HASH</c>, <c>pack NAME</c>, <c>artifact PATH</c>, <c>database maas.db</c>, ...</param>
/// <param name="Problem">What is wrong with it.</param>
public sealed record HomeDamage(string Object, string Problem);
