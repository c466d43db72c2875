using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Maas.Core.Errors;
using Maas.Storage;
using Maas.Storage.Locking;
using Maas.Training;
using Maas.Workflows.Training;

namespace Maas.Workflows.Tuning;

/// <summary>
/// <c>maas tune</c>: random search with asynchronous successive halving (ASHA). Trials are drawn from the space and
/// trained one at a time on this machine to the first rung; whenever a rung holds a trial in its top
/// 1/<see cref="TuningRequest.ReductionFactor"/> that was not promoted yet, that trial continues from its checkpoint
/// to the next rung instead of a new trial starting. Every trial is a run (parameter <c>tune</c> names the study);
/// when the budget is spent, the best trial's run is finished as a normal run: evaluated, exported, registered.
/// </summary>
/// <param name="stores">The home's stores.</param>
public sealed class TuningJob(MaasStores stores)
{
    /// <summary>Runs the study.</summary>
    /// <exception cref="InvalidInputException">The request is out of range, or no trial succeeded.</exception>
    public async Task<TuningOutcome> RunAsync(TuningRequest request, IProgress<TuningLeaderboard>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Validate(request);
        // Held for the whole study, so a dataset removal cannot slip in between two trials.
        using var homeLock = await HomeLock.AcquireSharedAsync(stores.Home, $"tuning on {request.Dataset}", cancellationToken);
        var clock = Stopwatch.StartNew();
        var tuneId = string.Create(CultureInfo.InvariantCulture, $"tune_{DateTimeOffset.UtcNow:yyyyMMdd_HHmmss}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}");
        var random = new Random(unchecked((int)request.Seed ^ (int)(request.Seed >> 32)));
        var rungs = request.Rungs;
        var trials = new List<TuningTrial>();
        var outcomes = new Dictionary<int, TrainingOutcome>();
        // For each rung: the trials that reached it, and those already promoted from it.
        var reached = rungs.Select(_ => new List<int>()).ToArray();
        var promoted = rungs.Select(_ => new HashSet<int>()).ToArray();
        var training = new TrainingJob(stores);

        while (clock.Elapsed < request.Budget)
        {
            TrainingOutcome? outcome;
            int number;
            int rung;
            if (Promotable(trials, reached, promoted, request.ReductionFactor) is { } promotion)
            {
                (number, rung) = (promotion.Number, promotion.Rung + 1);
                promoted[promotion.Rung].Add(number);
                var trial = trials[number - 1];
                trials[number - 1] = trial with { Status = "running" };
                outcome = await TryAsync(() => training.ResumeAsync(new ResumeRequest(trial.RunId) { StopAfterEpoch = rungs[rung], Pause = true }, null, cancellationToken));
            }
            else if (trials.Count < request.MaxTrials)
            {
                number = trials.Count + 1;
                rung = 0;
                var options = request.Space.Sample(random, new TrainingOptions()) with { Epochs = rungs[^1], Seed = request.Seed + number };
                try
                {
                    options.Validate();
                }
                catch (InvalidInputException e)
                {
                    throw new InvalidInputException($"trial {number} drew options that do not work together: {e.Message}");
                }

                var trainingRequest = new TrainingRequest(request.Dataset, options, null, request.Pipeline)
                {
                    StopAfterEpoch = rungs[0],
                    Pause = true,
                    Tags = new Dictionary<string, string> { ["tune"] = tuneId, ["trial"] = number.ToString(CultureInfo.InvariantCulture) },
                };
                trials.Add(new TuningTrial(number, "", options, 0, 0, "running"));
                outcome = await TryAsync(() => training.RunAsync(trainingRequest, null, cancellationToken));
            }
            else
            {
                break;
            }

            if (outcome is null)
            {
                trials[number - 1] = trials[number - 1] with { Status = "failed" };
                continue;
            }

            outcomes[number] = outcome;
            var last = outcome.Epochs[^1];
            trials[number - 1] = trials[number - 1] with
            {
                RunId = outcome.Run.Id,
                Epochs = outcome.Epochs.Count,
                Accuracy = last.ValidationAccuracy ?? outcome.Evaluation.Accuracy,
                Status = outcome.Run.Status.ToString().ToLowerInvariant(),
            };
            reached[rung].Add(number);
            progress?.Report(new TuningLeaderboard(tuneId, Ranked(trials), trials[number - 1], clock.Elapsed));
        }

        var ranked = Ranked(trials);
        var best = ranked.FirstOrDefault(t => t.Status != "failed" && t.Epochs > 0)
            ?? throw new InvalidInputException($"tuning study {tuneId} finished no trial within its budget of {request.Budget.TotalMinutes:0.##} minutes.");
        TrainingOutcome bestRun;
        if (best.Status == "completed")
        {
            bestRun = outcomes[best.Number];
            if (request.RegisterAs is { } model)
            {
                bestRun = bestRun with { Registered = await training.RegisterRunAsync(best.RunId, model, cancellationToken) };
            }
        }
        else
        {
            // The best trial stops where its rung left it: its own checkpoint, evaluated, exported and registered.
            bestRun = await training.ResumeAsync(new ResumeRequest(best.RunId) { StopAfterEpoch = best.Epochs, RegisterAs = request.RegisterAs }, null, cancellationToken);
        }

        best = best with { Status = "completed" };
        ranked = [.. ranked.Select(t => t.Number == best.Number ? best : t)];
        return new TuningOutcome(tuneId, ranked, best, bestRun, clock.Elapsed);

        async Task<TrainingOutcome?> TryAsync(Func<Task<TrainingOutcome>> step)
        {
            try
            {
                return await step();
            }
            catch (Exception e) when (e is not OperationCanceledException and not MaasException)
            {
                // A configuration that breaks (runs out of memory, say) is a result of the search, not its end; a bad dataset or home is.
                return null;
            }
        }
    }

    private static (int Number, int Rung)? Promotable(List<TuningTrial> trials, List<int>[] reached, HashSet<int>[] promoted, int reduction)
    {
        // Higher rungs first: finishing a promising trial is worth more than widening the search.
        for (var rung = reached.Length - 2; rung >= 0; rung--)
        {
            var top = reached[rung].OrderByDescending(n => trials[n - 1].Accuracy).Take(reached[rung].Count / reduction);
            foreach (var number in top)
            {
                if (!promoted[rung].Contains(number) && trials[number - 1].Status != "failed")
                {
                    return (number, rung);
                }
            }
        }

        return null;
    }

    private static List<TuningTrial> Ranked(List<TuningTrial> trials) =>
        [.. trials.OrderByDescending(t => t.Status == "failed" ? -1 : t.Epochs).ThenByDescending(t => t.Accuracy).ThenBy(t => t.Number)];

    private static void Validate(TuningRequest request)
    {
        if (request.Budget <= TimeSpan.Zero)
        {
            throw new InvalidInputException($"The tuning budget must be positive, got {request.Budget}.");
        }

        if (request.MaxTrials < 1)
        {
            throw new InvalidInputException($"The tuning trial count must be 1 or more, got {request.MaxTrials}.");
        }

        if (request.Rungs.Count == 0 || request.Rungs[0] < 1 || request.Rungs.Zip(request.Rungs.Skip(1)).Any(p => p.Second <= p.First))
        {
            throw new InvalidInputException($"The tuning rungs must be increasing epoch counts from 1 or more, got {string.Join(", ", request.Rungs)}.");
        }

        if (request.ReductionFactor < 2)
        {
            throw new InvalidInputException($"The tuning reduction factor must be 2 or more, got {request.ReductionFactor}.");
        }
    }
}
