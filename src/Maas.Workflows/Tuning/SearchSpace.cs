using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Maas.Core;
using Maas.Core.Errors;
using Maas.Training;
using Maas.Training.Networks;

namespace Maas.Workflows.Tuning;

/// <summary>
/// The hyperparameters a tuning study draws from, read from JSON or YAML: each key is a hyperparameter; a list is a
/// choice, <c>{log_uniform: [min, max]}</c> or <c>{uniform: [min, max]}</c> a range. For example
/// <c>{"architecture": ["tiny-cnn", "mlp"], "learning_rate": {"log_uniform": [1e-4, 1e-2]}}</c>. Hyperparameters not
/// named keep their <see cref="TrainingOptions"/> defaults.
/// </summary>
/// <param name="Parameters">One domain per hyperparameter named.</param>
public sealed record SearchSpace(IReadOnlyList<ParameterDomain> Parameters)
{
    private static readonly string[] s_choiceOnly = ["architecture", "optimizer", "schedule", "batch_size"];
    private static readonly string[] s_numeric = ["learning_rate", "weight_decay", "label_smoothing", "momentum"];

    /// <summary>The hyperparameters a space may name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. s_choiceOnly, .. s_numeric];

    /// <summary>Reads a space file: YAML for <c>.yaml</c>/<c>.yml</c>, JSON otherwise.</summary>
    /// <exception cref="NotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidInputException">The space is malformed; the message names the field.</exception>
    public static SearchSpace Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new NotFoundException($"search space file '{path}' does not exist.");
        }

        var text = File.ReadAllText(path);
        return Path.GetExtension(path).ToLowerInvariant() is ".yaml" or ".yml" ? Parse(YamlDocuments.ToJson(text, path), path) : Parse(text, path);
    }

    /// <summary>Reads a space from JSON text.</summary>
    /// <exception cref="InvalidInputException">The space is malformed; the message names the field.</exception>
    public static SearchSpace Parse(string json, string source = "search space")
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{source}: not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject fields || fields.Count == 0)
        {
            throw new InvalidInputException($"{source}: expected a mapping of hyperparameters to choices or ranges; known hyperparameters are: {string.Join(", ", Names)}.");
        }

        var parameters = new List<ParameterDomain>();
        foreach (var (name, node) in fields)
        {
            if (!Names.Contains(name))
            {
                throw new InvalidInputException($"{source}: field '{name}' is not a hyperparameter that can be tuned; known are: {string.Join(", ", Names)}.");
            }

            parameters.Add(node switch
            {
                JsonArray list => Choice(source, name, list),
                JsonObject range when !s_choiceOnly.Contains(name) => Range(source, name, range),
                _ => throw new InvalidInputException(s_choiceOnly.Contains(name)
                    ? $"{source}: field '{name}' must be a list of choices."
                    : $"{source}: field '{name}' must be a list of choices or {{uniform: [min, max]}} or {{log_uniform: [min, max]}}."),
            });
        }

        return new SearchSpace(parameters);
    }

    /// <summary>Draws one trial's options: defaults for what the space does not name.</summary>
    public TrainingOptions Sample(Random random, TrainingOptions defaults)
    {
        ArgumentNullException.ThrowIfNull(defaults);
        var options = defaults;
        foreach (var parameter in Parameters)
        {
            var value = parameter.Sample(random);
            double Number() => double.Parse(value, CultureInfo.InvariantCulture);
            options = parameter.Name switch
            {
                "architecture" => options with { Architecture = value },
                "optimizer" => options with { Optimizer = value },
                "schedule" => options with { Schedule = value },
                "batch_size" => options with { BatchSize = int.Parse(value, CultureInfo.InvariantCulture) },
                "learning_rate" => options with { LearningRate = Number() },
                "weight_decay" => options with { WeightDecay = Number() },
                "label_smoothing" => options with { LabelSmoothing = Number() },
                _ => options with { Momentum = Number() },
            };
        }

        return options;
    }

    private static ParameterDomain Choice(string source, string name, JsonArray list)
    {
        if (list.Count == 0)
        {
            throw new InvalidInputException($"{source}: field '{name}' lists no choices.");
        }

        var choices = list.Select(v => v is JsonValue value ? value.ToJsonString().Trim('"') : throw new InvalidInputException($"{source}: field '{name}' has a choice that is not a single value.")).ToList();
        var allowed = name switch
        {
            "architecture" => Architectures.Names,
            "optimizer" => TrainingOptions.Optimizers,
            "schedule" => TrainingOptions.Schedules,
            _ => null,
        };
        foreach (var choice in choices)
        {
            if (allowed is not null && !allowed.Contains(choice))
            {
                throw new InvalidInputException($"{source}: field '{name}' has choice '{choice}'; known are: {string.Join(", ", allowed)}.");
            }

            if (allowed is null && !double.TryParse(choice, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw new InvalidInputException($"{source}: field '{name}' has choice '{choice}', which is not a number.");
            }

            if (name == "batch_size" && !(int.TryParse(choice, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size >= 1))
            {
                throw new InvalidInputException($"{source}: field '{name}' has choice '{choice}'; give whole numbers of 1 or more.");
            }
        }

        return new ParameterDomain(name, "choice", choices, 0, 0);
    }

    private static ParameterDomain Range(string source, string name, JsonObject range)
    {
        if (range.Count != 1 || range.First() is not { Key: "uniform" or "log_uniform" } entry)
        {
            throw new InvalidInputException($"{source}: field '{name}' must have one key, uniform or log_uniform, with [min, max].");
        }

        if (entry.Value is not JsonArray { Count: 2 } bounds || bounds.Any(b => b is not JsonValue v || !v.TryGetValue<double>(out _)))
        {
            throw new InvalidInputException($"{source}: field '{name}' {entry.Key} needs two numbers, [min, max].");
        }

        var (min, max) = (bounds[0]!.GetValue<double>(), bounds[1]!.GetValue<double>());
        if (!(min <= max) || (entry.Key == "log_uniform" && !(min > 0)))
        {
            throw new InvalidInputException($"{source}: field '{name}' {entry.Key} [{min}, {max}] is not a range{(entry.Key == "log_uniform" ? " of positive numbers" : "")} with min <= max.");
        }

        return new ParameterDomain(name, entry.Key, [], min, max);
    }
}
