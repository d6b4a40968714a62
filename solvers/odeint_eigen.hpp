#pragma once
// Lets Boost.Odeint use our row-major Eigen arrays (Field) as states with vector_space_algebra.

#include <boost/numeric/odeint.hpp>
#include <boost/numeric/odeint/external/eigen/eigen.hpp>

#include "solvers/periodic_grid.hpp"

// Odeint's adaptive steppers measure errors with this norm; it is only provided for Eigen
// matrices, and our state is a row-major Eigen array.
namespace boost::numeric::odeint {
template <>
struct vector_space_norm_inf<fieldlab::solvers::Field> {
  using result_type = double;
  double operator()(const fieldlab::solvers::Field& f) const { return f.abs().maxCoeff(); }
};
// Odeint copies states element-wise through iterators, which Eigen gives only to vectors.
template <>
struct copy_impl<fieldlab::solvers::Field, fieldlab::solvers::Field> {
  static void copy(const fieldlab::solvers::Field& from, fieldlab::solvers::Field& to) {
    to = from;
  }
};
}  // namespace boost::numeric::odeint
