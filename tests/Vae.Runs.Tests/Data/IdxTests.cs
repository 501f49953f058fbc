using Vae.Runs.Data;

namespace Vae.Runs.Tests.Data;

public class IdxTests
{
    [Fact]
    public void Parses_images_and_labels()
    {
        var images = Idx.ParseImages(IdxFixtures.Images(3, 2, 4), "img");
        Assert.Equal((3, 2, 4), (images.Count, images.Rows, images.Cols));
        Assert.Equal(24, images.Pixels.Length);
        Assert.Equal((byte)((16 * 37) % 256), images.Pixels[0]);
        Assert.Equal(new byte[] { 7, 0, 3 }, Idx.ParseLabels(IdxFixtures.Labels(7, 0, 3), "lbl"));
    }

    [Fact]
    public void Reads_gzip_files_by_content()
    {
        var path = Path.GetTempFileName();
        try
        {
            var raw = IdxFixtures.Labels(1, 2);
            File.WriteAllBytes(path, IdxFixtures.Gzip(raw));
            Assert.Equal(raw, Idx.ReadBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Rejects_bad_magic_naming_the_file()
    {
        var e = Assert.Throws<InvalidDataException>(() => Idx.ParseLabels(IdxFixtures.Images(1, 2, 2), "labels.idx"));
        Assert.Contains("labels.idx", e.Message);
        Assert.Contains("bad magic", e.Message);
    }

    [Fact]
    public void Rejects_truncated_and_overlong_data()
    {
        var full = IdxFixtures.Images(2, 3, 3);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Idx.ParseImages(full[..^1], "x")).Message);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Idx.ParseImages(full[..10], "x")).Message);
        Assert.Contains("unexpected bytes", Assert.Throws<InvalidDataException>(() => Idx.ParseImages([.. full, 0], "x")).Message);
    }

    [Fact]
    public void Rejects_zero_image_size_and_corrupt_gzip()
    {
        Assert.Contains("not valid", Assert.Throws<InvalidDataException>(() => Idx.ParseImages(IdxFixtures.Images(0, 0, 5), "x")).Message);
        var gz = IdxFixtures.Gzip(IdxFixtures.Labels(1, 2, 3));
        Assert.Contains("x.gz", Assert.Throws<InvalidDataException>(() => Idx.Gunzip(gz[..^6], "x.gz")).Message);
        Assert.Throws<InvalidDataException>(() => Idx.Gunzip([0x1f, 0x8b, 1, 2, 3], "y.gz"));
    }
}
