using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Sylvan.Data.Csv;

namespace NetGen.Samples.Data;

/// <summary>
/// Reads a CSV of numbers whose last column is an integer class label, with Sylvan.Data.Csv. Every row must have the
/// same number of fields and every field must parse (invariant culture): anything else is an error naming the line
/// and the column.
/// </summary>
public static class NumericCsv
{
    /// <summary>Reads <paramref name="reader"/>: <paramref name="headerLines"/> lines skipped, then rows of <paramref name="featureCount"/> numbers and a label.</summary>
    /// <param name="source">The file's name, for error messages.</param>
    public static LabelledTable Read(TextReader reader, string source, int featureCount, int headerLines = 0)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(headerLines);
        // A header here need not have the data's shape (breast_cancer.csv's is "569,30,malignant,benign"), so it is
        // skipped as text rather than parsed as the CSV's column names.
        for (int i = 0; i < headerLines; i++)
        {
            if (reader.ReadLine() is null)
                throw new InvalidDataException($"{source}: expected {headerLines} header line(s), the file ended after {i}.");
        }

        var options = new CsvDataReaderOptions { HasHeaders = false, Delimiter = ',', Culture = CultureInfo.InvariantCulture };
        using CsvDataReader csv = CsvDataReader.Create(reader, options);
        var features = new List<float>();
        var labels = new List<int>();
        int line = headerLines;
        while (csv.Read())
        {
            line++;
            if (csv.RowFieldCount != featureCount + 1)
                throw new InvalidDataException($"{source}, line {line}: expected {featureCount} features and a label, found {csv.RowFieldCount} fields.");
            for (int column = 0; column < featureCount; column++)
            {
                string field = csv.GetString(column);
                if (!float.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) || !float.IsFinite(value))
                    throw new InvalidDataException($"{source}, line {line}, column {column + 1}: '{field}' is not a finite number.");
                features.Add(value);
            }
            string label = csv.GetString(featureCount);
            if (!int.TryParse(label, NumberStyles.Integer, CultureInfo.InvariantCulture, out int classLabel))
                throw new InvalidDataException($"{source}, line {line}, column {featureCount + 1}: the label '{label}' is not an integer.");
            labels.Add(classLabel);
        }
        if (labels.Count == 0)
            throw new InvalidDataException($"{source}: no data rows.");
        return new LabelledTable(features.ToArray(), labels.ToArray(), featureCount);
    }
}
