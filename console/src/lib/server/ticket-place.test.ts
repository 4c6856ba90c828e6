import { describe, expect, it } from 'vitest';
import { areaOfAddress, jobPlaceLine, mapUrl, placeView } from './ticket-place.ts';

describe('placeView', () => {
  const customer = {
    id: 'c1',
    name: 'Nirmala Jayaraman',
    contactName: 'Nirmala Jayaraman',
    phone: '+91 92128 97021',
  };
  const site = { id: 's1', name: 'Home', address: '144, Main Road, Chennai', lat: 13.18541, lon: 80.357612 };

  it('links the phone for dialling and the site to its position on OpenStreetMap', () => {
    const view = placeView({ customer, site });
    expect(view?.customer).toMatchObject({ phone: '+91 92128 97021', phoneHref: 'tel:+919212897021' });
    expect(view?.site?.mapUrl).toBe(
      'https://www.openstreetmap.org/?mlat=13.18541&mlon=80.35761#map=17/13.18541/80.35761',
    );
  });

  it('names a contact person only when it is not the customer itself', () => {
    expect(placeView({ customer, site: null })?.customer?.contactName).toBeNull();
    expect(
      placeView({ customer: { ...customer, contactName: 'Ravi' }, site: null })?.customer?.contactName,
    ).toBe('Ravi');
  });

  it('is null when the service knows neither customer nor site, or sends no place at all', () => {
    expect(placeView({ customer: null, site: null })).toBeNull();
    expect(placeView(undefined)).toBeNull();
    expect(placeView({ customer: { ...customer, phone: null }, site: null })?.customer?.phoneHref).toBeNull();
  });
});

describe('mapUrl', () => {
  it('puts a marker at the position, south and west as negative numbers', () => {
    expect(mapUrl(-33.8688, -151.2093)).toBe(
      'https://www.openstreetmap.org/?mlat=-33.86880&mlon=-151.20930#map=17/-33.86880/-151.20930',
    );
  });
});

describe('jobPlaceLine', () => {
  const customer = { id: 'c1', name: 'Bhavani Srinivasan', contactName: null, phone: null };
  const site = {
    id: 's1',
    name: "Bhavani Srinivasan's home",
    address: '238, 4th Main Road, Madhavaram, Chennai',
    lat: 13.1418,
    lon: 80.2053,
  };

  it('names the customer and the area of the city, with a map of the site', () => {
    expect(jobPlaceLine({ customer, site })).toEqual({
      who: 'Bhavani Srinivasan',
      site: null,
      area: 'Madhavaram',
      mapUrl: mapUrl(13.1418, 80.2053),
    });
  });

  it("names a site that is not the customer's own name, and a site without a customer by itself", () => {
    const office = { ...site, name: 'Guindy office' };
    expect(jobPlaceLine({ customer, site: office })?.site).toBe('Guindy office');
    expect(jobPlaceLine({ customer: null, site: office })).toMatchObject({
      who: 'Guindy office',
      site: null,
    });
  });

  it('is only the customer without a site, and null without either', () => {
    expect(jobPlaceLine({ customer, site: null })).toEqual({
      who: 'Bhavani Srinivasan',
      site: null,
      area: null,
      mapUrl: null,
    });
    expect(jobPlaceLine({ customer: null, site: null })).toBeNull();
    expect(jobPlaceLine(undefined)).toBeNull();
  });
});

describe('areaOfAddress', () => {
  it('is the part before the city, or a short address whole', () => {
    expect(areaOfAddress('12, Gandhi Street, Adyar, Chennai')).toBe('Adyar');
    expect(areaOfAddress('14 Church Street, Bengaluru')).toBe('14 Church Street, Bengaluru');
  });
});
