qreg q[1];
rx(1e308*10) q[0];
