module Vae.Model.Tests.TestThreads

open System
open Xunit
open TorchSharp
open Vae.Model
open Vae.Model.Tests.TestUtil

// libtorch's thread count is process-wide: these run alone, like the other process-wide measurements.
[<Collection("process-wide measurements")>]
type ThreadScope() =
    [<Fact>]
    member _.``withThreads sets the thread count for its call and then sets it back, also after a failure``() =
        ensureTorch ()
        let before = torch.get_num_threads ()
        try
            torch.set_num_threads 2
            Assert.Equal(1, NativeSetup.withThreads 1 (fun () -> torch.get_num_threads ()))
            Assert.Equal(2, torch.get_num_threads ())
            Assert.Throws<InvalidOperationException>(fun () ->
                NativeSetup.withThreads 1 (fun () -> raise (InvalidOperationException "inside")) |> ignore)
            |> ignore
            Assert.Equal(2, torch.get_num_threads ())
            Assert.Throws<ArgumentException>(fun () -> NativeSetup.withThreads 0 id |> ignore) |> ignore
        finally
            torch.set_num_threads before
