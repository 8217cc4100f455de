// Downsampling (see downsample.h).
#include "core/store/downsample.h"

#include <cmath>

namespace mgrpo::store {

std::vector<MetricPoint> downsampleBucketMean(const std::vector<MetricPoint>& points, size_t maxPoints) {
    const size_t n = points.size();
    if (maxPoints == 0 || n <= maxPoints) return points;
    std::vector<MetricPoint> out;
    out.reserve(maxPoints);
    for (size_t i = 0; i < maxPoints; ++i) {
        const size_t begin = i * n / maxPoints;
        const size_t end = (i + 1) * n / maxPoints;
        double step = 0.0, value = 0.0;
        for (size_t j = begin; j < end; ++j) {
            step += points[j].step;
            value += points[j].value;
        }
        const double count = static_cast<double>(end - begin);
        out.push_back({step / count, value / count});
    }
    return out;
}

std::vector<MetricPoint> downsampleLttb(const std::vector<MetricPoint>& points, size_t maxPoints) {
    const size_t n = points.size();
    if (maxPoints == 0 || n <= maxPoints) return points;
    if (maxPoints < 3) return {points.front(), points.back()};
    std::vector<MetricPoint> out;
    out.reserve(maxPoints);
    const double every = static_cast<double>(n - 2) / static_cast<double>(maxPoints - 2);
    size_t a = 0;
    out.push_back(points[0]);
    for (size_t i = 0; i + 2 < maxPoints; ++i) {
        // Mean of the next bucket (the last point for the final bucket).
        size_t avgBegin = static_cast<size_t>(std::floor((i + 1) * every)) + 1;
        size_t avgEnd = std::min(static_cast<size_t>(std::floor((i + 2) * every)) + 1, n);
        if (avgBegin >= avgEnd) avgBegin = avgEnd - 1;
        double avgX = 0.0, avgY = 0.0;
        for (size_t j = avgBegin; j < avgEnd; ++j) {
            avgX += points[j].step;
            avgY += points[j].value;
        }
        avgX /= static_cast<double>(avgEnd - avgBegin);
        avgY /= static_cast<double>(avgEnd - avgBegin);
        // This bucket's candidates.
        const size_t begin = static_cast<size_t>(std::floor(i * every)) + 1;
        const size_t end = std::min(static_cast<size_t>(std::floor((i + 1) * every)) + 1, n - 1);
        double maxArea = -1.0;
        size_t chosen = begin;
        for (size_t j = begin; j < end; ++j) {
            const double area = std::abs((points[a].step - avgX) * (points[j].value - points[a].value) -
                                         (points[a].step - points[j].step) * (avgY - points[a].value)) *
                                0.5;
            if (area > maxArea) {
                maxArea = area;
                chosen = j;
            }
        }
        out.push_back(points[chosen]);
        a = chosen;
    }
    out.push_back(points.back());
    return out;
}

std::vector<MetricPoint> downsample(const std::vector<MetricPoint>& points, size_t maxPoints, Downsample method) {
    switch (method) {
    case Downsample::BucketMean: return downsampleBucketMean(points, maxPoints);
    case Downsample::Lttb: return downsampleLttb(points, maxPoints);
    case Downsample::None: break;
    }
    return points;
}

}  // namespace mgrpo::store
